package dev.flowcast.activity;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The activity log in the engine's database: what users did, for training and prediction. */
public interface ActivityLog {

  /** Where events came from. */
  enum Source {
    REST,
    IMPORT,
    ENGINE
  }

  /** Stores the events, all or none. */
  void append(List<ActivityEvent> events, Source source);

  /** The user's most recent events, oldest first. */
  List<ActivityEvent> recent(String user, int limit);

  /** Every event since a moment, oldest first, at most {@code limit}. */
  List<ActivityEvent> since(Instant from, int limit);

  /** The users with an event since a moment. */
  Set<String> activeUsers(Instant since);

  /** Deletes events older than a moment; returns how many. */
  int prune(Instant before);
}
