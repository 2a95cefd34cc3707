package dev.flowcast.simulation;

import dev.flowcast.capacity.ScaleInHold;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the replay's pools grow and shrink when they are elastic: each pool named with a lead time
 * is elastic, in units of {@link #UNIT_VCPU} vCPU (memory, network and disk in the catalog's
 * proportion), from one unit up to the catalog's capacity; the others keep their catalog capacity
 * as a fixed number of units. Defaults and their sources are in decision 0019.
 *
 * @param leadTimes per elastic pool, from request to ready on average
 * @param reactiveTargets the reactive rule's target utilizations to try (the first is its default)
 * @param reactiveCooldowns the reactive rule's cool-downs to try
 * @param predictiveTargets the predictive planner's target utilizations to try
 * @param warmUp how long the pools and their planner run before the first request: a deployed
 *     planner has been running before any stretch of load begins, and a replay that starts cold
 *     with a burst at its first second measures only that no one can buy capacity in 0 s
 * @param overflow what the predictive planner does with demand a pool cannot hold at its most units
 *     ({@code none} or {@code spill}: {@link dev.flowcast.capacity.Overflow})
 * @param scaleInHold over how long the predictive planner gives back no units it wanted ({@code
 *     scale-in-delay} or {@code lead-time}: {@link ScaleInHold})
 */
public record ElasticSetup(Map<String, Duration> leadTimes, List<Double> reactiveTargets,
    List<Duration> reactiveCooldowns, List<Double> predictiveTargets, Duration warmUp, String overflow,
    String scaleInHold) {

  /** The overflows {@code --overflow} knows. */
  public static final List<String> OVERFLOWS = List.of("none", "spill");

  /** The lead times when none are given: Karpenter-like on-demand workers, slower spot capacity. */
  public static final Map<String, Duration> DEFAULT_LEAD_TIMES = Map.of(
      "on-demand", Duration.ofSeconds(90), "spot", Duration.ofMinutes(3));
  static final double DEFAULT_TARGET_UTILIZATION = 0.8;
  /** The HPA's default scale-down stabilization window. */
  static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
  static final double UNIT_VCPU = 2;
  /** EC2 bills per second with a 60 s minimum. */
  static final Duration BILLING_MINIMUM = Duration.ofSeconds(60);
  /** A spot interruption is announced two minutes ahead. */
  static final Duration SPOT_NOTICE = Duration.ofMinutes(2);
  /** The share of requests for more spot units that find no capacity: an assumption, no provider publishes it. */
  static final double SPOT_REFUSAL_RATE = 0.05;
  /** The default spot lead time with its spread and a tick, rounded up: enough to buy any pool's units in time. */
  public static final Duration DEFAULT_WARM_UP = Duration.ofMinutes(5);

  public ElasticSetup {
    leadTimes = Map.copyOf(leadTimes);
    leadTimes.forEach((pool, lead) -> {
      if (lead.isNegative() || lead.isZero()) {
        throw new IllegalArgumentException("--lead-time of " + pool + " must be positive (" + lead + ")");
      }
    });
    reactiveTargets = List.copyOf(reactiveTargets);
    reactiveCooldowns = List.copyOf(reactiveCooldowns);
    predictiveTargets = List.copyOf(predictiveTargets);
    for (double target : concat(reactiveTargets, predictiveTargets)) {
      if (!(target > 0 && target <= 1)) {
        throw new IllegalArgumentException("a target utilization is a share above 0 and at most 1 (" + target + ")");
      }
    }
    if (reactiveTargets.isEmpty() || reactiveCooldowns.isEmpty() || predictiveTargets.isEmpty()) {
      throw new IllegalArgumentException("give at least one target utilization and one cool-down");
    }
    if (warmUp == null || warmUp.isNegative()) {
      throw new IllegalArgumentException("--warm-up must be zero or positive (" + warmUp + ")");
    }
    if (!OVERFLOWS.contains(overflow)) {
      throw new IllegalArgumentException("--overflow is one of " + OVERFLOWS + ", not '" + overflow + "'");
    }
    if (!ScaleInHold.labels().contains(scaleInHold)) {
      throw new IllegalArgumentException("--scale-in-hold is one of " + ScaleInHold.labels() + ", not '" + scaleInHold
          + "'");
    }
  }

  public ElasticSetup(Map<String, Duration> leadTimes, List<Double> reactiveTargets, List<Duration> reactiveCooldowns,
      List<Double> predictiveTargets, Duration warmUp, String overflow) {
    this(leadTimes, reactiveTargets, reactiveCooldowns, predictiveTargets, warmUp, overflow,
        ScaleInHold.SCALE_IN_DELAY.label());
  }

  public ElasticSetup(Map<String, Duration> leadTimes, List<Double> reactiveTargets, List<Duration> reactiveCooldowns,
      List<Double> predictiveTargets, Duration warmUp) {
    this(leadTimes, reactiveTargets, reactiveCooldowns, predictiveTargets, warmUp, "none");
  }

  public ElasticSetup(Map<String, Duration> leadTimes, List<Double> reactiveTargets, List<Duration> reactiveCooldowns,
      List<Double> predictiveTargets) {
    this(leadTimes, reactiveTargets, reactiveCooldowns, predictiveTargets, DEFAULT_WARM_UP);
  }

  public static ElasticSetup defaults() {
    return new ElasticSetup(DEFAULT_LEAD_TIMES, List.of(DEFAULT_TARGET_UTILIZATION), List.of(DEFAULT_COOLDOWN),
        List.of(DEFAULT_TARGET_UTILIZATION));
  }

  private static List<Double> concat(List<Double> a, List<Double> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /** Every pool of the catalog as elastic or fixed units; {@code fixedUnits} pins a pool at a size. */
  Map<String, Elasticity> elasticities(Map<String, PricedPool> pools, Map<String, Integer> fixedUnits) {
    Map<String, Elasticity> elasticities = new TreeMap<>();
    for (PricedPool pool : pools.values()) {
      ResourceDemand capacity = pool.capacity();
      double share = UNIT_VCPU / capacity.vcpu();
      ResourceDemand unit = new ResourceDemand(UNIT_VCPU, capacity.memoryMb() * share, capacity.networkMbps() * share,
          capacity.diskIops() * share);
      int most = Math.max(1, (int) Math.floor(capacity.vcpu() / UNIT_VCPU));
      Duration lead = leadTimes.get(pool.name());
      boolean spot = pool.interruptionRatePerHour() > 0;
      int least = lead == null ? most : 1;
      if (fixedUnits.containsKey(pool.name()) && lead != null) {
        least = Math.max(1, Math.min(most, fixedUnits.get(pool.name())));
        most = least;
      }
      Duration leadTime = lead == null ? Duration.ofSeconds(90) : lead;
      elasticities.put(pool.name(), new Elasticity(unit, least, most, leadTime,
          Duration.ofMillis(Math.round(leadTime.toMillis() * ElasticPools.LEAD_TIME_SPREAD)), BILLING_MINIMUM,
          Duration.ZERO, spot ? SPOT_REFUSAL_RATE : 0, spot ? SPOT_NOTICE : Duration.ZERO));
    }
    return elasticities;
  }

  /** The strategies to run, each with every combination of settings tried for it. */
  List<Variant> variants(List<Strategy> strategies) {
    List<Variant> variants = new java.util.ArrayList<>();
    for (Strategy strategy : strategies) {
      if (strategy.sizing == Strategy.Sizing.REACTIVE) {
        boolean grid = reactiveTargets.size() * reactiveCooldowns.size() > 1;
        for (double target : reactiveTargets) {
          for (Duration cooldown : reactiveCooldowns) {
            variants.add(new Variant(strategy, grid ? labelled(strategy, target, cooldown) : strategy.label(), target,
                cooldown));
          }
        }
      } else if (strategy == Strategy.FLOWCAST && predictiveTargets.size() > 1) {
        for (double target : predictiveTargets) {
          variants.add(new Variant(strategy, labelled(strategy, target, null), target, DEFAULT_COOLDOWN));
        }
      } else {
        double target = strategy.sizing == Strategy.Sizing.REACTIVE ? reactiveTargets.get(0) : predictiveTargets.get(0);
        variants.add(new Variant(strategy, strategy.label(), target, reactiveCooldowns.get(0)));
      }
    }
    return variants;
  }

  private static String labelled(Strategy strategy, double target, Duration cooldown) {
    return strategy.label() + " u=" + target + (cooldown == null ? "" : " c=" + cooldown.toSeconds() + "s");
  }

  /** The lead times as the report prints them. */
  Map<String, String> describeLeadTimes() {
    Map<String, String> described = new LinkedHashMap<>();
    new TreeMap<>(leadTimes).forEach((pool, lead) -> described.put(pool, lead.toString()));
    return described;
  }

  Set<String> elasticPools() {
    return leadTimes.keySet();
  }
}
