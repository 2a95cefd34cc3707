package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cuts users' activity streams into sessions at gaps of inactivity (or at a change of case). */
final class Sessions {

  private Sessions() {}

  static List<Session> of(List<ActivityEvent> events, Duration gap) {
    Map<String, List<ActivityEvent>> byUser = new LinkedHashMap<>();
    events.stream().sorted(Comparator.comparing(ActivityEvent::time))
        .forEach(e -> byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e));
    List<Session> sessions = new ArrayList<>();
    byUser.forEach((user, stream) -> {
      List<ActivityEvent> current = new ArrayList<>();
      for (ActivityEvent event : stream) {
        if (!current.isEmpty()) {
          ActivityEvent previous = current.get(current.size() - 1);
          boolean otherCase = event.caseId() != null && !event.caseId().equals(previous.caseId());
          if (otherCase || Duration.between(previous.time(), event.time()).compareTo(gap) > 0) {
            sessions.add(session(user, current));
            current = new ArrayList<>();
          }
        }
        current.add(event);
      }
      if (!current.isEmpty()) {
        sessions.add(session(user, current));
      }
    });
    sessions.sort(Comparator.comparing(s -> s.times().get(0)));
    return sessions;
  }

  private static Session session(String user, List<ActivityEvent> events) {
    return new Session(user + "@" + events.get(0).time(), user,
        events.stream().map(ActivityEvent::action).toList(), events.stream().map(ActivityEvent::time).toList());
  }
}
