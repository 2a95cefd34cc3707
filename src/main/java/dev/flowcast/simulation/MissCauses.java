package dev.flowcast.simulation;

import dev.flowcast.resources.Elasticity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Why each request that missed its deadline on elastic pools missed it, read from what the pools
 * did around it. A request misses because its run alone took longer than its deadline, or because
 * it started after the latest moment that its run would still have met the deadline from (its
 * latest start), or never. For the second kind the pools it ran in (or would have) are read at its
 * latest start, and the first of these that holds in one of them is its cause:
 * <ol>
 *   <li>{@link Cause#INTERRUPTED}: a spot interruption took units from the pool since a lead time
 *       before the request arrived;
 *   <li>{@link Cause#REFUSED}: the pool refused a request for more units in that span;
 *   <li>{@link Cause#GIVEN_BACK}: units left the pool in that span (a scale-in before the burst);
 *   <li>{@link Cause#ASKED_AFTER_ARRIVAL}: units were on their way at the latest start, the first of
 *       them asked for only when the request had arrived (nothing announced it a lead time ahead);
 *   <li>{@link Cause#ASKED_AHEAD_TOO_LATE}: units were on their way, asked for before the request
 *       arrived but less than a lead time before its latest start;
 *   <li>{@link Cause#TOO_FEW_UNITS}: the pool was below its most units and no more were on their way;
 *   <li>{@link Cause#SPILL_POOL_SHORT}: every pool it ran in had all the units it may have, ready,
 *       and another elastic pool, which the composer could have run it in, did not (its own causes
 *       are among the flags);
 *   <li>{@link Cause#AT_MOST}: every pool it ran in had all the units it may have, ready, and so had
 *       every other elastic pool: no planner could have had more.
 * </ol>
 * The span "since a lead time before the request arrived" is the pool's lead time plus two standard
 * deviations of its spread: what was done to the pool earlier could still have been undone in time.
 */
final class MissCauses {

  enum Cause {
    /** Its run alone took longer than its deadline: the pool was over-committed, or its work started over. */
    RAN_TOO_LONG("ran-too-long"),
    /** It started, and never completed within the replay. */
    NEVER_COMPLETED("never-completed"),
    INTERRUPTED("spot-interrupted"),
    REFUSED("spot-refused"),
    GIVEN_BACK("units-given-back-before"),
    ASKED_AFTER_ARRIVAL("units-asked-after-arrival"),
    ASKED_AHEAD_TOO_LATE("units-asked-ahead-too-late"),
    TOO_FEW_UNITS("too-few-units-asked"),
    SPILL_POOL_SHORT("full-and-the-pool-to-spill-to-short"),
    AT_MOST("every-pool-at-its-most-units");

    final String label;

    Cause(String label) {
      this.label = label;
    }
  }

  /**
   * One miss: the request, where it ran, how long it waited and ran (seconds; null when it never
   * started or completed), its cause, the pool that cause was found in, that pool's provisioned and
   * ready units at the request's arrival and at its latest start, and every cause that held in any of
   * its pools ({@code flags}), not only the first.
   */
  record Miss(int index, String intent, double arrivalSeconds, Double waitedSeconds, Double ranSeconds,
      double deadlineSeconds, boolean started, String cause, String pool, List<Integer> unitsAtArrival,
      List<Integer> unitsAtLatestStart, List<String> flags) {}

  private MissCauses() {}

  /**
   * @param origin the moment request times count from
   * @param pools every elastic pool's history over the replay
   * @param expected per intent, the pools and the declared seconds of the workflow a request of it is
   *     expected to run (for requests that never started: where they would have run, for how long)
   */
  static List<Miss> of(List<ReplayRun.RequestOutcome> requests, Instant origin,
      Map<String, ElasticPools.PoolHistory> pools, Function<String, Expected> expected) {
    List<Miss> misses = new ArrayList<>();
    for (ReplayRun.RequestOutcome request : requests) {
      Duration deadline = IntentTable.deadlineOf(request.intent());
      boolean completed = request.completed() != null;
      if (completed && request.completed().minus(request.arrival()).compareTo(deadline) <= 0) {
        continue;
      }
      misses.add(classify(request, deadline, origin, pools, expected.apply(request.intent())));
    }
    return misses;
  }

  /** Where a request of an intent runs and for how long, as declared. */
  record Expected(Set<String> pools, Duration declared) {}

  /** The misses counted by cause, in the causes' order. */
  static Map<String, Integer> counted(List<Miss> misses) {
    Map<String, Integer> counts = new TreeMap<>(Comparator.comparing(label -> order(label)));
    for (Miss miss : misses) {
      counts.merge(miss.cause(), 1, Integer::sum);
    }
    return counts;
  }

  private static int order(String label) {
    for (Cause cause : Cause.values()) {
      if (cause.label.equals(label)) {
        return cause.ordinal();
      }
    }
    return Cause.values().length;
  }

  private static Miss classify(ReplayRun.RequestOutcome request, Duration deadline, Instant origin,
      Map<String, ElasticPools.PoolHistory> pools, Expected expected) {
    Instant arrival = origin.plus(request.arrival());
    Set<String> used = request.pools().isEmpty() ? expected.pools() : request.pools();
    Double waited = request.started() == null ? null : seconds(request.started().minus(request.arrival()));
    Double ran = request.started() == null || request.completed() == null ? null
        : seconds(request.completed().minus(request.started()));
    Duration run = ran != null ? request.completed().minus(request.started()) : expected.declared();
    Instant latestStart = arrival.plus(deadline).minus(run);
    String firstPool = used.stream().filter(pools::containsKey).sorted().findFirst().orElse(null);
    List<String> flags = new ArrayList<>();
    Cause cause = null;
    String causePool = firstPool;
    if (request.started() != null && request.completed() == null) {
      cause = Cause.NEVER_COMPLETED;
    } else if (ran != null && run.compareTo(deadline) > 0) {
      cause = Cause.RAN_TOO_LONG;
    }
    for (String pool : new TreeSet<>(used)) {
      ElasticPools.PoolHistory history = pools.get(pool);
      if (history == null) {
        continue;
      }
      for (Cause found : causesIn(history, arrival, latestStart)) {
        flags.add(found.label + "@" + pool);
        if (cause == null || (found.ordinal() < cause.ordinal() && cause.ordinal() > Cause.NEVER_COMPLETED.ordinal())) {
          cause = found;
          causePool = pool;
        }
      }
    }
    if (cause == null || cause == Cause.AT_MOST) {
      // its own pools were full: could another have taken it?
      for (Map.Entry<String, ElasticPools.PoolHistory> other : new TreeMap<>(pools).entrySet()) {
        Elasticity elasticity = other.getValue().elasticity();
        if (used.contains(other.getKey()) || elasticity.minUnits() == elasticity.maxUnits()) {
          continue;
        }
        List<Cause> found = causesIn(other.getValue(), arrival, latestStart);
        if (!found.contains(Cause.AT_MOST)) {
          found.forEach(c -> flags.add(c.label + "@" + other.getKey()));
          if (cause != Cause.SPILL_POOL_SHORT) {
            cause = Cause.SPILL_POOL_SHORT;
            causePool = other.getKey();
          }
        }
      }
    }
    ElasticPools.PoolHistory history = causePool == null ? null : pools.get(causePool);
    return new Miss(request.index(), request.intent(), seconds(request.arrival()), waited, ran, seconds(deadline),
        request.started() != null, cause.label, causePool,
        history == null ? List.of() : unitsAt(history, arrival), history == null ? List.of() : unitsAt(history, latestStart),
        flags);
  }

  /** The causes that hold in one pool for a request that arrived at {@code arrival}, in the causes' order. */
  private static List<Cause> causesIn(ElasticPools.PoolHistory history, Instant arrival, Instant latestStart) {
    Elasticity elasticity = history.elasticity();
    Instant since = arrival.minus(elasticity.leadTime()).minus(elasticity.leadTimeJitter().multipliedBy(2));
    Instant until = latestStart.isAfter(arrival) ? latestStart : arrival;
    List<Cause> causes = new ArrayList<>();
    if (history.interruptions().stream().anyMatch(at -> within(at, since, until))) {
      causes.add(Cause.INTERRUPTED);
    }
    if (history.refusals().stream().anyMatch(at -> within(at, since, until))) {
      causes.add(Cause.REFUSED);
    }
    if (history.units().stream().anyMatch(u -> u.leavesAt() != null && within(u.leavesAt(), since, until))) {
      causes.add(Cause.GIVEN_BACK);
    }
    history.units().stream()
        .filter(u -> !u.requestedAt().isAfter(until) && u.readyAt().isAfter(until)
            && (u.leavesAt() == null || u.leavesAt().isAfter(until)))
        .map(ElasticPools.UnitSpan::requestedAt).min(Comparator.naturalOrder())
        .ifPresent(asked -> causes.add(asked.isBefore(arrival) ? Cause.ASKED_AHEAD_TOO_LATE : Cause.ASKED_AFTER_ARRIVAL));
    List<Integer> units = unitsAt(history, until);
    if (units.get(1) >= elasticity.maxUnits()) {
      causes.add(Cause.AT_MOST);
    } else if (units.get(0) == units.get(1)) {
      causes.add(Cause.TOO_FEW_UNITS);
    }
    return causes;
  }

  /** Provisioned and ready units of the pool at {@code at}. */
  private static List<Integer> unitsAt(ElasticPools.PoolHistory history, Instant at) {
    int provisioned = 0;
    int ready = 0;
    for (ElasticPools.UnitSpan unit : history.units()) {
      if (unit.requestedAt().isAfter(at) || (unit.leavesAt() != null && !unit.leavesAt().isAfter(at))) {
        continue;
      }
      provisioned++;
      if (!unit.readyAt().isAfter(at)) {
        ready++;
      }
    }
    return List.of(provisioned, ready);
  }

  private static boolean within(Instant at, Instant from, Instant until) {
    return !at.isBefore(from) && !at.isAfter(until);
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
