package dev.flowcast.capacity;

import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every tick, on the one node that holds the planner's lease: for each elastic pool, what it holds
 * and what waits for it now, what users are predicted to start in it and what running work will
 * give back, and the measured series' upper quantile, to the planner; its size to the provider.
 * Every change of size is a logged {@code SCALE} decision with the figures behind it:
 * {@code REQUESTED}, {@code SHADOW} (decided, not asked for) or {@code FAILED} with the provider's
 * reason. A failure changes nothing else: the composer plans with the units that are ready.
 */
final class CapacityTick {

  private static final Logger log = LoggerFactory.getLogger(CapacityTick.class);

  static final String REQUESTED = "REQUESTED";
  static final String SHADOW = "SHADOW";
  static final String FAILED = "FAILED";

  /** The inputs that are not the provider's: the monitor's profile, the outlook, held and queued demand. */
  record Inputs(ResourceMonitor monitor, DemandOutlook outlook, Supplier<Map<String, ResourceDemand>> held,
      Supplier<Map<String, ResourceDemand>> queued) {}

  private record Asked(int units, Instant at) {}

  private final PriceCatalog catalog;
  private final CapacityProvider provider;
  private final CapacityPlanner planner;
  private final Inputs inputs;
  private final DecisionLog decisions;
  private final PoolTargets targets;
  private final CapacityLease lease;
  private final CapacityMetrics metrics;
  private final ProviderPoolSupply sizes;
  private final BooleanSupplier shadow;
  private final Duration interval;
  private final boolean runsOnSchedule;
  private final Clock clock;
  private final Map<String, Asked> asked = new ConcurrentHashMap<>();
  private final Map<String, Integer> shadowed = new ConcurrentHashMap<>();

  CapacityTick(PriceCatalog catalog, CapacityProvider provider, CapacityPlanner planner, Inputs inputs,
      DecisionLog decisions, PoolTargets targets, CapacityLease lease, CapacityMetrics metrics,
      ProviderPoolSupply sizes, BooleanSupplier shadow, Duration interval, boolean runsOnSchedule, Clock clock) {
    this.runsOnSchedule = runsOnSchedule;
    this.catalog = catalog;
    this.provider = provider;
    this.planner = planner;
    this.inputs = inputs;
    this.decisions = decisions;
    this.targets = targets;
    this.lease = lease;
    this.metrics = metrics;
    this.sizes = sizes;
    this.shadow = shadow;
    this.interval = interval;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${flowcast.capacity.tick-interval:PT30S}",
      initialDelayString = "${flowcast.capacity.tick-interval:PT30S}")
  void scheduled() {
    if (!runsOnSchedule) {
      return; // a fixed provider, not in shadow mode: nothing to decide
    }
    Instant now = clock.instant();
    // held for three ticks: a node that stops is replaced after that, a slow tick keeps its lease
    if (!lease.acquire(now, interval.multipliedBy(3))) {
      return;
    }
    try {
      tick(now);
    } catch (RuntimeException e) {
      log.error("FLOWCAST-325 the capacity tick failed; pools keep their size until the next: {}", e.getMessage(), e);
    }
  }

  /** One look at every elastic pool; the decisions it logged. */
  List<Decision> tick(Instant now) {
    List<PricedPool> elastic = catalog.pools().values().stream().filter(p -> p.elasticity() != null).toList();
    if (elastic.isEmpty()) {
      return List.of();
    }
    metrics.registerPools();
    boolean shadowMode = shadow.getAsBoolean();
    ResourceProfile profile = inputs.monitor().profile(now);
    Map<Duration, DemandOutlook.Parts> parts = new LinkedHashMap<>();
    for (Duration horizon : ResourceProfile.HORIZONS) {
      parts.put(horizon, inputs.outlook().at(now, horizon));
    }
    Map<String, ResourceDemand> held = inputs.held().get();
    Map<String, ResourceDemand> queued = inputs.queued().get();
    ResourceDemand heldInAll = held.values().stream().reduce(ResourceDemand.NONE, ResourceDemand::plus);
    List<Decision> logged = new ArrayList<>();
    List<PricedPool> read = new ArrayList<>();
    List<PoolOutlook> outlooks = new ArrayList<>();
    for (PricedPool pool : elastic) {
      String name = pool.name();
      // the provider's own lead time where it measured one (a local worker's real start-up)
      Elasticity elasticity = elasticityOf(pool);
      PoolSize size;
      try {
        size = provider.size(name, now);
        sizes.remember(size);
      } catch (RuntimeException e) {
        logged.add(log(now, name, FAILED, "the size of the pool cannot be read: " + e.getMessage(),
            Map.of("provider", provider.name(), "planner", planner.name())));
        continue;
      }
      ResourceDemand reserved = held.getOrDefault(name, ResourceDemand.NONE);
      // what the monitor counts held too (decision 0024): reservations, or the units' busy slots when more
      ResourceDemand holding = reserved.max(size.inUse());
      Map<Duration, ResourceDemand> intents = new LinkedHashMap<>();
      Map<Duration, ResourceDemand> releases = new LinkedHashMap<>();
      Map<Duration, ResourceDemand> series = new LinkedHashMap<>();
      parts.forEach((horizon, part) -> {
        intents.put(horizon, part.intentsIn(name));
        releases.put(horizon, part.releasesIn(name));
        series.put(horizon, seriesUpper(profile, horizon, share(reserved, heldInAll)));
      });
      read.add(pool);
      outlooks.add(new PoolOutlook(name, now, elasticity, size, holding,
          queued.getOrDefault(name, ResourceDemand.NONE), intents, series, releases));
    }
    // planned together: a planner may weigh one pool's demand against another's (Overflow)
    List<ScalingPlan> plans = planner.planAll(outlooks);
    for (int i = 0; i < outlooks.size(); i++) {
      PoolOutlook outlook = outlooks.get(i);
      ScalingPlan plan = plans.get(i);
      Elasticity elasticity = outlook.elasticity();
      int desired = Math.max(elasticity.minUnits(), Math.min(elasticity.maxUnits(), plan.desiredUnits()));
      targets.record(outlook.pool(), desired, planner.name(), now);
      Decision decision = act(now, read.get(i), outlook.size(), plan, desired, shadowMode);
      if (decision != null) {
        logged.add(decision);
      }
    }
    return logged;
  }

  private Decision act(Instant now, PricedPool pool, PoolSize size, ScalingPlan plan, int desired, boolean shadowMode) {
    String name = pool.name();
    int current = size.provisionedUnits();
    if (desired == current) {
      shadowed.remove(name);
      return null;
    }
    if (shadowMode) {
      if (Integer.valueOf(desired).equals(shadowed.put(name, desired))) {
        return null; // decided the same last tick: logged once
      }
      metrics.scaled(name, current, desired, "shadow");
      return log(now, name, SHADOW, "shadow: would ask for " + desired + " units (now " + current + "): "
          + plan.reason(), details(size, plan, desired));
    }
    Asked last = asked.get(name);
    if (last != null && last.units() == desired && last.at().plus(elasticityOf(pool).leadTime()).isAfter(now)) {
      return null; // asked for it within one lead time: the provider is still on its way
    }
    try {
      provider.requestTarget(name, desired, now);
      sizes.forget(name);
      asked.put(name, new Asked(desired, now));
      metrics.scaled(name, current, desired, "requested");
      return log(now, name, REQUESTED, "asked for " + desired + " units (now " + current + "): " + plan.reason(),
          details(size, plan, desired));
    } catch (RuntimeException e) {
      asked.remove(name);
      metrics.scaled(name, current, desired, "failed");
      Map<String, Object> details = details(size, plan, desired);
      details.put("error", e.getMessage());
      return log(now, name, FAILED, "provider " + provider.name() + " did not take " + desired + " units (now "
          + current + "): " + e.getMessage() + "; the composer plans with the " + size.readyUnits() + " ready",
          details);
    }
  }

  private Elasticity elasticityOf(PricedPool pool) {
    Elasticity catalog = pool.elasticity();
    return provider.measuredLeadTime(pool.name()).filter(lead -> !lead.isZero() && !lead.isNegative()).map(catalog::withLeadTime).orElse(catalog);
  }

  private Map<String, Object> details(PoolSize size, ScalingPlan plan, int desired) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pool", size.pool());
    details.put("provider", provider.name());
    details.put("planner", planner.name());
    details.put("desiredUnits", desired);
    details.put("plannedUnits", plan.desiredUnits());
    details.put("provisionedUnits", size.provisionedUnits());
    details.put("readyUnits", size.readyUnits());
    details.put("horizon", plan.horizon().toString());
    details.put("figures", new java.util.TreeMap<>(plan.figures()));
    return details;
  }

  private Decision log(Instant now, String pool, String status, String reason, Map<String, Object> details) {
    Map<String, Object> all = new LinkedHashMap<>(details);
    all.putIfAbsent("pool", pool);
    Decision decision = new Decision(Decision.newId(), now, Decision.Kind.SCALE, status, null, null, null, null,
        "pool " + pool + ": " + reason, all);
    decisions.record(decision);
    if (FAILED.equals(status)) {
      log.warn("FLOWCAST-321 {}", decision.reason());
    } else {
      log.info("FLOWCAST-322 {}", decision.reason());
    }
    return decision;
  }

  /** A pool's part of what it holds among all pools (its share of the machines' measured use). */
  private static double share(ResourceDemand pool, ResourceDemand all) {
    return all.vcpu() <= 0 ? 0 : pool.vcpu() / all.vcpu();
  }

  /**
   * The measured series' upper quantile of use at a horizon, the pool's share of it: the profile's
   * conservative projection of use less the intents and releases it added, so that the planner
   * gets the series alone.
   */
  private static ResourceDemand seriesUpper(ResourceProfile profile, Duration horizon, double share) {
    if (share <= 0) {
      return ResourceDemand.NONE;
    }
    return new ResourceDemand(share * seriesUpper(profile, ResourceKind.CPU, horizon),
        share * seriesUpper(profile, ResourceKind.MEMORY, horizon), 0, 0);
  }

  private static double seriesUpper(ResourceProfile profile, ResourceKind kind, Duration horizon) {
    ResourceProfile.KindProfile measured = profile.kinds().get(kind);
    if (measured == null || !measured.projectedAvailable().containsKey(horizon)) {
      return 0;
    }
    double upperUse = measured.capacity() - measured.projectedAvailable().get(horizon).upper();
    ResourceProfile.UseParts parts = measured.projectedParts().get(horizon);
    double added = parts == null ? 0 : parts.intents() - parts.releases();
    return Math.max(0, upperUse - added);
  }
}
