package dev.flowcast.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the composer plans with at one moment: per resource kind, the measured capacity, what is
 * available now and projected at +5, +10 and +15 minutes; per pool of the price catalog, what it
 * still offers, its prices and its risk; and whether the measurements are fresh.
 */
public record ResourceProfile(
    Instant at, Map<String, PoolCapacity> pools, Map<ResourceKind, KindProfile> kinds, Freshness freshness) {

  public static final List<Duration> HORIZONS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15));

  /**
   * One kind of resource on the measured machines.
   *
   * @param projectedAvailable per horizon: expected available, and {@code upper}, the available
   *     left if use reaches its upper quantile (the conservative figure)
   * @param freeShare the share of the kind the composer counts on: the lowest of now and the
   *     conservative projections, divided by capacity (reduced while stale)
   */
  public record KindProfile(
      double capacity, double available, Map<Duration, Projection> projectedAvailable, double freeShare,
      Map<Duration, UseParts> projectedParts) {

    public KindProfile {
      projectedAvailable = Map.copyOf(projectedAvailable);
      projectedParts = Map.copyOf(projectedParts);
    }

    public KindProfile(double capacity, double available, Map<Duration, Projection> projectedAvailable, double freeShare) {
      this(capacity, available, projectedAvailable, freeShare, Map.of());
    }
  }

  /**
   * How a projection of use was made up: the measured series' forecast (expected), plus the demand
   * users are predicted to start, minus what running instances will have released by then.
   */
  public record UseParts(double series, double intents, double releases) {}

  /**
   * @param stale whether the last sample is too old or the source is failing now
   * @param sampleAge how old the last good sample is
   * @param problem why the source fails, or null
   */
  public record Freshness(boolean stale, Duration sampleAge, String source, String forecaster, String problem) {

    public static final Freshness UNMEASURED = new Freshness(false, Duration.ZERO, "none", "none", null);
  }

  public ResourceProfile {
    pools = Map.copyOf(pools);
    kinds = Map.copyOf(kinds);
  }

  /** A profile of pools only, with nothing measured (tests, custom monitors). */
  public ResourceProfile(Instant at, Map<String, PoolCapacity> pools) {
    this(at, pools, Map.of(), Freshness.UNMEASURED);
  }

  /** The same profile with {@code returned} free again in its pools (what an instance gives back). */
  public ResourceProfile withReturned(Map<String, ResourceDemand> returned) {
    Map<String, PoolCapacity> freed = new java.util.TreeMap<>(pools);
    returned.forEach((name, demand) -> freed.computeIfPresent(name, (n, pool) -> {
      Map<Duration, ResourceDemand> projected = new java.util.LinkedHashMap<>();
      pool.projectedAvailable().forEach((horizon, free) -> projected.put(horizon, free.plus(demand)));
      return new PoolCapacity(pool.name(), pool.capacity(), pool.available().plus(demand), pool.pricePerVcpuHour(),
          pool.pricePerGbHour(), pool.interruptionRatePerHour(), projected);
    }));
    return new ResourceProfile(at, freed, kinds, freshness);
  }

  public Optional<PoolCapacity> pool(String name) {
    return Optional.ofNullable(pools.get(name));
  }
}
