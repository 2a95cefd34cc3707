package dev.flowcast.resources;

import dev.flowcast.config.FlowcastProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The default monitor: measured use and its projection on the machines, the price catalog's
 * pools, and the reservation ledger. A pool offers what its limit leaves after what it holds (its
 * reservations, or what its units report busy when that is more). A pool of the catalog's capacity
 * runs on the machines measured here: what it offers is scaled by the share of each kind they are
 * projected to have free (conservatively: the upper quantile of use, and less while the
 * measurements are stale). An elastic pool whose units a provider supplies (workers, nodes) is
 * capacity of its own: its limit is what its ready units hold (never more than its catalog
 * capacity), the load of the machine Flowcast runs on does not shrink it (its units report their
 * own use), and at each horizon of the projection it counts the units that will be ready by then,
 * so that work can wait for capacity on its way.
 */
class MeasuredResourceMonitor implements ResourceMonitor {

  private final ResourceSampler sampler;
  private final DemandForecaster forecaster;
  private final PriceCatalog catalog;
  private final ReservationLedger ledger;
  private final FlowcastProperties.Resources settings;
  private final InterruptionSignals interruptions;
  private final DemandOutlook outlook;
  private final PoolSupply supplies;

  MeasuredResourceMonitor(
      ResourceSampler sampler, DemandForecaster forecaster, PriceCatalog catalog, ReservationLedger ledger,
      FlowcastProperties.Resources settings, InterruptionSignals interruptions, DemandOutlook outlook,
      PoolSupply supplies) {
    this.outlook = outlook;
    this.supplies = supplies;
    this.interruptions = interruptions;
    this.sampler = sampler;
    this.forecaster = forecaster;
    this.catalog = catalog;
    this.ledger = ledger;
    this.settings = settings;
  }

  @Override
  public ResourceProfile profile(Instant at) {
    return profileOf(at, null);
  }

  /** Only these pools: their reservations alone are summed (the figures of each are the same). */
  @Override
  public ResourceProfile profile(Instant at, Set<String> pools) {
    return profileOf(at, pools);
  }

  /** @param only the pools to profile; {@code null} for every pool of the catalog */
  private ResourceProfile profileOf(Instant at, Set<String> only) {
    ResourceSampler.State state = sampler.state();
    ResourceSample last = state.lastGood();
    Duration age = last == null ? Duration.ZERO : Duration.between(last.at(), at).abs();
    boolean stale = last == null || state.problem() != null || age.compareTo(settings.staleAfter()) > 0;
    Map<ResourceKind, ResourceProfile.KindProfile> kinds = new EnumMap<>(ResourceKind.class);
    Map<ResourceKind, Double> freeShare = new EnumMap<>(ResourceKind.class);
    Map<Duration, Map<ResourceKind, Double>> shareAt = new LinkedHashMap<>();
    for (ResourceKind kind : ResourceKind.values()) {
      double share;
      if (last == null) {
        share = settings.staleCapacityFactor();
      } else {
        ResourceProfile.KindProfile measured = measure(kind, state.recent(), stale, outlooks(at));
        kinds.put(kind, measured);
        share = measured.freeShare();
        for (Map.Entry<Duration, Projection> horizon : measured.projectedAvailable().entrySet()) {
          double projected = measured.capacity() <= 0 ? 0 : horizon.getValue().upper() / measured.capacity();
          shareAt.computeIfAbsent(horizon.getKey(), h -> new EnumMap<>(ResourceKind.class))
              .put(kind, Math.min(1.0, projected * (stale ? settings.staleCapacityFactor() : 1.0)));
        }
      }
      freeShare.put(kind, share);
    }
    Map<String, ResourceDemand> held = only == null ? ledger.heldPerPool() : ledger.heldPerPool(only);
    Set<String> interrupted = interruptions.activePools(at);
    Map<String, PoolCapacity> pools = new TreeMap<>();
    for (PricedPool pool : catalog.pools().values()) {
      if (only != null && !only.contains(pool.name())) {
        continue;
      }
      Optional<PoolSupply.Supply> supply = pool.elastic().flatMap(e -> supplies.supply(pool.name(), at));
      ResourceDemand holding = heldIn(held.getOrDefault(pool.name(), ResourceDemand.NONE), supply);
      ResourceDemand limit = supply.map(s -> readyLimit(pool, s.readyUnits())).orElse(pool.capacity());
      ResourceDemand left = limit.minusClamped(holding);
      ResourceDemand available = interrupted.contains(pool.name()) ? ResourceDemand.NONE
          : supply.isPresent() ? left
          : new ResourceDemand(
              left.vcpu() * freeShare.get(ResourceKind.CPU),
              left.memoryMb() * freeShare.get(ResourceKind.MEMORY),
              left.networkMbps() * freeShare.get(ResourceKind.NETWORK),
              left.diskIops() * freeShare.get(ResourceKind.DISK));
      Map<Duration, ResourceDemand> projected = new LinkedHashMap<>();
      shareAt.forEach((horizon, shares) -> {
        ResourceDemand leftThen = supply.map(s -> readyLimit(pool, s.readyBy(at.plus(horizon))).minusClamped(holding))
            .orElse(left);
        projected.put(horizon, interrupted.contains(pool.name()) ? ResourceDemand.NONE
            : supply.isPresent() ? leftThen
            : new ResourceDemand(
                leftThen.vcpu() * shares.getOrDefault(ResourceKind.CPU, settings.staleCapacityFactor()),
                leftThen.memoryMb() * shares.getOrDefault(ResourceKind.MEMORY, settings.staleCapacityFactor()),
                leftThen.networkMbps() * shares.getOrDefault(ResourceKind.NETWORK, settings.staleCapacityFactor()),
                leftThen.diskIops() * shares.getOrDefault(ResourceKind.DISK, settings.staleCapacityFactor())));
      });
      pools.put(pool.name(), new PoolCapacity(pool.name(), limit, available,
          pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour(), projected));
    }
    return new ResourceProfile(at, pools, kinds,
        new ResourceProfile.Freshness(stale, age, state.source(), forecaster.name(), state.problem()));
  }

  /**
   * What a pool holds: its reservations, or what its units report busy when that is more (work
   * Flowcast did not compose, or a step's old run still finishing). Not their sum: a composed
   * step's reservation and the slot it runs in are the same capacity, counted once (decision 0024).
   */
  static ResourceDemand heldIn(ResourceDemand reserved, Optional<PoolSupply.Supply> supply) {
    return supply.map(s -> reserved.max(s.inUse())).orElse(reserved);
  }

  /**
   * What {@code units} ready units of an elastic pool hold, within its catalog limit; a kind the
   * unit does not size (network, disk left out of it) keeps the limit.
   */
  static ResourceDemand readyLimit(PricedPool pool, int units) {
    ResourceDemand unit = pool.elasticity().unit();
    ResourceDemand limit = pool.capacity();
    return new ResourceDemand(
        Math.min(limit.vcpu(), unit.vcpu() * units),
        Math.min(limit.memoryMb(), unit.memoryMb() * units),
        unit.networkMbps() > 0 ? Math.min(limit.networkMbps(), unit.networkMbps() * units) : limit.networkMbps(),
        unit.diskIops() > 0 ? Math.min(limit.diskIops(), unit.diskIops() * units) : limit.diskIops());
  }

  private Map<Duration, DemandOutlook.Parts> outlooks(Instant at) {
    Map<Duration, DemandOutlook.Parts> parts = new LinkedHashMap<>();
    for (Duration horizon : ResourceProfile.HORIZONS) {
      parts.put(horizon, outlook.at(at, horizon));
    }
    return parts;
  }

  /**
   * Projected use = the series forecast + the demand users are predicted to start − what running
   * instances will have released by then; expected and upper alike (the intents and releases are
   * expectations, added to both), within [0, capacity].
   */
  private ResourceProfile.KindProfile measure(ResourceKind kind, List<ResourceSample> recent, boolean stale,
      Map<Duration, DemandOutlook.Parts> outlooks) {
    ResourceSample last = recent.get(recent.size() - 1);
    double capacity = last.capacity(kind);
    double availableNow = last.available(kind);
    double leastAvailable = availableNow;
    Map<Duration, Projection> projected = new LinkedHashMap<>();
    Map<Duration, ResourceProfile.UseParts> parts = new LinkedHashMap<>();
    for (Duration horizon : ResourceProfile.HORIZONS) {
      Projection series = forecaster.projectUse(kind, recent, horizon);
      DemandOutlook.Parts outlook = outlooks.get(horizon);
      // an instance cannot give back more than the machines measure in use: releases come off the
      // series' expected use, never below it (declared demand can exceed what the work really uses)
      double releases = Math.min(outlook.releases(kind), series.expected());
      double change = outlook.intents(kind) - releases;
      Projection use = new Projection(clamp(series.expected() + change, capacity), clamp(series.upper() + change, capacity));
      parts.put(horizon, new ResourceProfile.UseParts(series.expected(), outlook.intents(kind), releases));
      Projection available = new Projection(Math.max(0, capacity - use.expected()), Math.max(0, capacity - use.upper()));
      projected.put(horizon, available);
      leastAvailable = Math.min(leastAvailable, available.upper());
    }
    double share = capacity <= 0 ? 0.0 : leastAvailable / capacity;
    if (stale) {
      share *= settings.staleCapacityFactor();
    }
    return new ResourceProfile.KindProfile(capacity, availableNow, projected, Math.min(1.0, share), parts);
  }

  private static double clamp(double value, double capacity) {
    return Math.max(0, Math.min(capacity, value));
  }
}
