package dev.flowcast.arrivals;

import java.time.Duration;
import java.util.function.DoubleBinaryOperator;

/**
 * Which of a user's actions an earlier action of theirs announces in time: those that follow the
 * user's previous action no sooner than {@code soonerThan} (the shortest lead time of an elastic
 * pool: capacity bought on the announcement can be ready) and no later than {@code sessionGap} (the
 * user is still active). The others, a user's first action, one after a longer pause and one that
 * comes sooner, are unannounced: the weekly rhythm ({@link ArrivalProfile}) expects them. The
 * demand outlook and the replay both ask this one rule, so that a request is expected either by its
 * user's intents or by the weekly rhythm, never by both.
 */
public record Announcements(Duration soonerThan, Duration sessionGap) {

  public Announcements {
    if (soonerThan.isNegative() || sessionGap.isNegative()) {
      throw new IllegalArgumentException("an announcement's bounds are not negative");
    }
  }

  /** Whether an action {@code gap} after its user's previous one was announced by it. */
  public boolean announced(Duration gap) {
    return gap.compareTo(soonerThan) >= 0 && gap.compareTo(sessionGap) <= 0;
  }

  /**
   * The chance that a user whose previous action was {@code elapsedSeconds} ago acts next between
   * {@code from} and {@code to} seconds from now, and that this action is an announced one.
   *
   * @param chanceWithin the chance of the next action between two moments, in seconds from now
   */
  public double chanceAnnounced(double elapsedSeconds, double from, double to, DoubleBinaryOperator chanceWithin) {
    double low = Math.max(from, seconds(soonerThan) - elapsedSeconds);
    double high = Math.min(to, seconds(sessionGap) - elapsedSeconds);
    return high > low ? chanceWithin.applyAsDouble(low, high) : 0;
  }

  /** The same rule on a clock {@code factor} times slower (a replay's log time). */
  public Announcements stretched(double factor) {
    return new Announcements(Duration.ofMillis(Math.round(soonerThan.toMillis() * factor)),
        Duration.ofMillis(Math.round(sessionGap.toMillis() * factor)));
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
