package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One session (a case, or a user's stream of actions) in order: what was done, and when. */
record Session(String id, String user, List<String> actions, List<Instant> times) {

  Session {
    actions = List.copyOf(actions);
    times = List.copyOf(times);
  }

  int length() {
    return actions.size();
  }

  Session prefix(int length) {
    return new Session(id, user, actions.subList(0, length), times.subList(0, length));
  }

  /** Groups events by session, sessions in order of first appearance, events in file order. */
  static List<Session> of(List<ActivityEvent> events) {
    Map<String, List<ActivityEvent>> bySession = new LinkedHashMap<>();
    for (ActivityEvent event : events) {
      bySession.computeIfAbsent(event.session(), s -> new ArrayList<>()).add(event);
    }
    List<Session> sessions = new ArrayList<>();
    bySession.forEach((id, list) -> sessions.add(new Session(id, list.get(0).user(),
        list.stream().map(ActivityEvent::action).toList(), list.stream().map(ActivityEvent::time).toList())));
    return sessions;
  }
}
