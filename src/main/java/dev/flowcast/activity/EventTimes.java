package dev.flowcast.activity;

import java.time.Instant;

/**
 * The window an activity event's time must fall in: not before 1970 (a zero or negative epoch is
 * a client's bug, not history) and not after {@code latest} (the server's clock plus the drift
 * allowed). An event far in the future would stay every ranking's most recent action.
 */
public record EventTimes(Instant latest) {

  public static final Instant EARLIEST = Instant.EPOCH;

  /** Why {@code time} is outside the window, in the API's words, or null when it is inside. */
  public String problemWith(Instant time) {
    if (time.isBefore(EARLIEST)) {
      return "is before 1970-01-01T00:00:00Z: " + time;
    }
    if (time.isAfter(latest)) {
      return "is after " + latest + " (at most flowcast.activity.max-ahead past the server's clock): " + time;
    }
    return null;
  }
}
