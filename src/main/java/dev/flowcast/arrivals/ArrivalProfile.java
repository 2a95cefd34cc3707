package dev.flowcast.arrivals;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many new sessions begin, by hour of the week: what no active user announces. A user's next
 * action is {@link NextActionTiming}'s to predict; the first action of a session comes unannounced,
 * but help desks, batch jobs and office hours have a weekly rhythm. Learned from the sessions'
 * first actions over the last whole weeks: per hour of the week (in UTC, Monday 00:00 first) and
 * per action, the mean count and its variance across those weeks. Asked for a stretch of time, it
 * adds up the hours it overlaps (a part of an hour by its share).
 */
public final class ArrivalProfile {

  static final int HOURS_PER_WEEK = 168;
  private static final long SECONDS_PER_HOUR = 3600;
  /** 1970-01-01 was a Thursday: hours since the epoch plus three days fall on Monday 00:00 at 0. */
  private static final long EPOCH_HOUR_OF_WEEK = 72;

  /** One action's expected sessions in a stretch of time, and the variance of that count. */
  public record Expected(double sessions, double variance) {}

  /** A session's first action: when, and which. */
  public record Arrival(Instant at, String action) {}

  private final Map<String, double[]> meanByAction;
  private final Map<String, double[]> varianceByAction;
  private final int weeks;

  private ArrivalProfile(Map<String, double[]> meanByAction, Map<String, double[]> varianceByAction, int weeks) {
    this.meanByAction = meanByAction;
    this.varianceByAction = varianceByAction;
    this.weeks = weeks;
  }

  /**
   * @param arrivals sessions' first actions (others are ignored only by the caller's choice)
   * @param until the end of what may be learned from (nothing at or after it is read)
   * @param weeks how many whole weeks before {@code until} to learn from
   */
  public static ArrivalProfile learn(Collection<Arrival> arrivals, Instant until, int weeks) {
    if (weeks < 1) {
      throw new IllegalArgumentException("an arrival profile learns from at least one week");
    }
    long lastHour = Math.floorDiv(until.getEpochSecond(), SECONDS_PER_HOUR);
    long firstHour = lastHour - (long) weeks * HOURS_PER_WEEK;
    Map<String, Map<Long, Integer>> countsByAction = new HashMap<>();
    for (Arrival arrival : arrivals) {
      long hour = Math.floorDiv(arrival.at().getEpochSecond(), SECONDS_PER_HOUR);
      if (hour >= firstHour && hour < lastHour) {
        countsByAction.computeIfAbsent(arrival.action(), a -> new HashMap<>()).merge(hour, 1, Integer::sum);
      }
    }
    Map<String, double[]> means = new TreeMap<>();
    Map<String, double[]> variances = new TreeMap<>();
    countsByAction.forEach((action, counts) -> {
      double[] sum = new double[HOURS_PER_WEEK];
      double[] sumOfSquares = new double[HOURS_PER_WEEK];
      for (long hour = firstHour; hour < lastHour; hour++) {
        int count = counts.getOrDefault(hour, 0);
        int bin = hourOfWeek(hour);
        sum[bin] += count;
        sumOfSquares[bin] += (double) count * count;
      }
      double[] mean = new double[HOURS_PER_WEEK];
      double[] variance = new double[HOURS_PER_WEEK];
      for (int bin = 0; bin < HOURS_PER_WEEK; bin++) {
        mean[bin] = sum[bin] / weeks;
        variance[bin] = Math.max(0, sumOfSquares[bin] / weeks - mean[bin] * mean[bin]);
      }
      means.put(action, mean);
      variances.put(action, variance);
    });
    return new ArrivalProfile(means, variances, weeks);
  }

  /**
   * The actions no earlier action of their user announces in time ({@link Announcements}): a
   * user's first, one after a longer pause than the rule's session gap, or one that follows the
   * user's previous action too soon for anything bought on its announcement to arrive.
   */
  public static List<Arrival> unannounced(Collection<ActivityEvent> events, Announcements announcements) {
    List<ActivityEvent> inOrder = new ArrayList<>(events);
    inOrder.sort(Comparator.comparing(ActivityEvent::time));
    Map<String, Instant> previousOf = new HashMap<>();
    List<Arrival> unannounced = new ArrayList<>();
    for (ActivityEvent event : inOrder) {
      Instant previous = previousOf.put(event.user(), event.time());
      if (previous == null || !announcements.announced(Duration.between(previous, event.time()))) {
        unannounced.add(new Arrival(event.time(), event.action()));
      }
    }
    return unannounced;
  }

  /** Per action, the sessions expected to begin within [from, to). */
  public Map<String, Expected> expectedBetween(Instant from, Instant to) {
    Map<String, Expected> expected = new TreeMap<>();
    if (!to.isAfter(from)) {
      return expected;
    }
    double fromHours = from.getEpochSecond() / (double) SECONDS_PER_HOUR + from.getNano() / 3.6e12;
    double toHours = to.getEpochSecond() / (double) SECONDS_PER_HOUR + to.getNano() / 3.6e12;
    meanByAction.forEach((action, mean) -> {
      double[] variance = varianceByAction.get(action);
      double sessions = 0;
      double spread = 0;
      for (long hour = (long) Math.floor(fromHours); hour < toHours; hour++) {
        double share = Math.min(toHours, hour + 1) - Math.max(fromHours, hour);
        int bin = hourOfWeek(hour);
        sessions += share * mean[bin];
        spread += share * variance[bin];
      }
      if (sessions > 0) {
        expected.put(action, new Expected(sessions, spread));
      }
    });
    return expected;
  }

  /**
   * Per action, the sessions expected to begin within [from, to) that are still to come at
   * {@code now}: those of the stretch before it have arrived (or not), and are known as such.
   */
  public Map<String, Expected> expectedStillToCome(Instant now, Instant from, Instant to) {
    return expectedBetween(from.isBefore(now) ? now : from, to);
  }

  /** Every action's expected sessions within [from, to), added up. */
  public double sessionsBetween(Instant from, Instant to) {
    return expectedBetween(from, to).values().stream().mapToDouble(Expected::sessions).sum();
  }

  /** How many whole weeks it learned from. */
  public int weeks() {
    return weeks;
  }

  static int hourOfWeek(long epochHour) {
    return (int) Math.floorMod(epochHour + EPOCH_HOUR_OF_WEEK, HOURS_PER_WEEK);
  }
}
