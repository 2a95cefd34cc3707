package dev.flowcast.composer;

import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.PoolSupply;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Capacity on its way in elastic pools, weighed against what fits now: a candidate that does not
 * fit now, but will once units on their way are ready, is worth waiting for when it costs at least
 * {@code leastSaving} (a share) less per run than the best that fits now and still ends before the
 * request's deadline. The request then waits in the queue (composed again every retry interval)
 * instead of taking a costlier pool. A candidate only a little cheaper is not waited for: the wait
 * delays the request for a saving nobody would notice.
 */
final class ArrivingCapacity {

  /** A candidate worth waiting for: it fits from {@code after} on. */
  record Wait(ScoredWorkflow candidate, Duration after, String reason) {}

  private final PoolSupply supply;
  private final Scorer scorer;
  private final double leastSaving;

  ArrivingCapacity(PoolSupply supply, Scorer scorer, double leastSaving) {
    if (!(leastSaving >= 0 && leastSaving <= 1)) {
      throw new IllegalArgumentException("the least saving worth waiting for is a share from 0 to 1");
    }
    this.supply = supply;
    this.scorer = scorer;
    this.leastSaving = leastSaving;
  }

  Optional<Wait> worthWaitingFor(ScoredWorkflow best, List<ScoredWorkflow> scored, double probability,
      ResourceProfile profile, Instant now, Instant deadline) {
    Set<String> arriving = new TreeSet<>();
    for (String pool : profile.pools().keySet()) {
      supply.supply(pool, now).filter(s -> !s.arriving().isEmpty()).ifPresent(s -> arriving.add(pool));
    }
    if (arriving.isEmpty()) {
      return Optional.empty();
    }
    double worthWaitingBelow = best.score().costPerRun() * (1 - leastSaving);
    List<Workflow> cheaper = new ArrayList<>();
    for (ScoredWorkflow candidate : scored) {
      if (!candidate.score().feasible() && candidate.score().costPerRun() < worthWaitingBelow
          && candidate.workflow().tasks().stream().anyMatch(t -> arriving.contains(t.pool()))) {
        cheaper.add(candidate.workflow());
      }
    }
    if (cheaper.isEmpty()) {
      return Optional.empty();
    }
    for (Duration after : ResourceProfile.HORIZONS) {
      for (ScoredWorkflow later : scorer.score(cheaper, probability, asOf(profile, after))) {
        Instant ends = now.plus(after).plusMillis((long) (later.workflow().declaredSeconds() * 1000));
        if (later.score().feasible() && later.score().costPerRun() < worthWaitingBelow && !ends.isAfter(deadline)) {
          return Optional.of(new Wait(later, after, String.format(Locale.ROOT,
              "worth waiting for capacity on its way in %s: %s fits by +%d min at %s, against %s for %s now",
              String.join(", ", arriving), later.workflow().describe(), after.toMinutes(),
              later.costPerRunInWords(), best.costPerRunInWords(), best.workflow().describe())));
        }
      }
    }
    return Optional.empty();
  }

  /** The profile as it is projected {@code after} from now: every pool offers what it is projected to have free then. */
  static ResourceProfile asOf(ResourceProfile profile, Duration after) {
    Map<String, PoolCapacity> pools = new TreeMap<>();
    profile.pools().forEach((name, pool) -> pools.put(name, new PoolCapacity(name, pool.capacity(),
        pool.availableAt(after), pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour())));
    return new ResourceProfile(profile.at().plus(after), pools, profile.kinds(), profile.freshness());
  }
}
