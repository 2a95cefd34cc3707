package dev.flowcast.simulation;

import dev.flowcast.capacity.CapacityProvider;
import dev.flowcast.capacity.CapacityRequestException;
import dev.flowcast.capacity.PoolSize;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated provider of elastic pools: a pool is a number of units, each asked for at one
 * moment, ready after the pool's lead time (with seeded normal noise), paid per second from the
 * request until it is given back, at least for the billing minimum, used or not. A unit given back
 * leaves after the scale-in delay (it takes work until then); only units that hold no work are
 * given back (a real autoscaler drains a node first). A spot pool refuses a share of the requests
 * for more units (no capacity there now: the request is lost, the planner asks again on its next
 * tick) and, when it is interrupted, loses its units at the end of the notice.
 *
 * <p>The noise and the refusals are drawn from the seed and the pool's request count, so every
 * strategy meets the same luck for its n-th request.
 */
final class ElasticPools implements CapacityProvider {

  /** The spread of a lead time: a standard deviation of this share of it. */
  static final double LEAD_TIME_SPREAD = 0.2;
  /** No unit is ready sooner than this share of its lead time, whatever the noise. */
  static final double LEAD_TIME_FLOOR = 0.5;

  /** One unit: asked for at, ready at, leaving at (null while kept). */
  private static final class Unit {
    final Instant requestedAt;
    final Instant readyAt;
    Instant leavesAt;

    Unit(Instant requestedAt, Instant readyAt) {
      this.requestedAt = requestedAt;
      this.readyAt = readyAt;
    }
  }

  private final Map<String, Elasticity> elasticities;
  private final Map<String, PricedPool> prices;
  private final Map<String, List<Unit>> units = new LinkedHashMap<>();
  private final Map<String, Integer> requests = new LinkedHashMap<>();
  private final long seed;
  private int refusals;
  private final Map<String, List<Instant>> refusedAt = new LinkedHashMap<>();
  private final Map<String, List<Instant>> interruptedAt = new LinkedHashMap<>();
  private Map<String, ResourceDemand> held = Map.of();

  /**
   * @param initialUnits each pool's size at the start, ready at once (a replay starts warm)
   */
  ElasticPools(Map<String, Elasticity> elasticities, Map<String, PricedPool> prices, Map<String, Integer> initialUnits,
      Instant start, long seed) {
    this.elasticities = Map.copyOf(elasticities);
    this.prices = Map.copyOf(prices);
    this.seed = seed;
    elasticities.keySet().stream().sorted().forEach(pool -> {
      List<Unit> list = new ArrayList<>();
      for (int i = 0; i < initialUnits.getOrDefault(pool, elasticities.get(pool).minUnits()); i++) {
        list.add(new Unit(start, start));
      }
      units.put(pool, list);
    });
  }

  @Override
  public String name() {
    return "simulated";
  }

  Map<String, Elasticity> elasticities() {
    return elasticities;
  }

  /** What each pool's running work holds now: units holding it are not given back. */
  void holding(Map<String, ResourceDemand> heldPerPool) {
    this.held = Map.copyOf(heldPerPool);
  }

  @Override
  public PoolSize size(String pool, Instant now) {
    List<Unit> list = units.getOrDefault(pool, List.of());
    int provisioned = 0;
    int ready = 0;
    Map<Instant, Integer> arriving = new java.util.TreeMap<>();
    for (Unit unit : list) {
      if (unit.leavesAt != null && !unit.leavesAt.isAfter(now)) {
        continue;
      }
      provisioned++;
      if (!unit.readyAt.isAfter(now)) {
        ready++;
      } else {
        arriving.merge(unit.readyAt, 1, Integer::sum);
      }
    }
    return new PoolSize(pool, provisioned, ready,
        arriving.entrySet().stream().map(e -> new PoolSize.Arrival(e.getValue(), e.getKey())).toList());
  }

  /** Units that count towards the target: provisioned and not already being given back. */
  private List<Unit> kept(String pool, Instant now) {
    return units.getOrDefault(pool, List.of()).stream().filter(u -> u.leavesAt == null).toList();
  }

  @Override
  public void requestTarget(String pool, int target, Instant now) {
    Elasticity elasticity = elasticities.get(pool);
    if (elasticity == null) {
      throw new CapacityRequestException("pool " + pool + " is not elastic");
    }
    int wanted = Math.max(elasticity.minUnits(), Math.min(elasticity.maxUnits(), target));
    List<Unit> kept = kept(pool, now);
    if (wanted > kept.size()) {
      int request = requests.merge(pool, 1, Integer::sum);
      SplittableRandom draw = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (pool + "#" + request).hashCode());
      if (draw.nextDouble() < elasticity.refusalRate()) {
        refusals++;
        refusedAt.computeIfAbsent(pool, p -> new ArrayList<>()).add(now);
        throw new CapacityRequestException("pool " + pool + " has no capacity to give now");
      }
      // units on their way out come back first: they are ready and paid for
      List<Unit> leaving = units.get(pool).stream().filter(u -> u.leavesAt != null && u.leavesAt.isAfter(now))
          .sorted(Comparator.comparing((Unit u) -> u.leavesAt).reversed()).toList();
      int missing = wanted - kept.size();
      for (Unit unit : leaving) {
        if (missing == 0) {
          break;
        }
        unit.leavesAt = null;
        missing--;
      }
      for (int i = 0; i < missing; i++) {
        units.get(pool).add(new Unit(now, now.plus(leadTime(elasticity, draw))));
      }
    } else if (wanted < kept.size()) {
      giveBack(pool, elasticity, kept, kept.size() - wanted, now);
    }
  }

  /** The newest units not yet ready go first (nothing runs there), then ready ones that hold no work. */
  private void giveBack(String pool, Elasticity elasticity, List<Unit> kept, int count, Instant now) {
    double heldVcpu = held.getOrDefault(pool, ResourceDemand.NONE).vcpu();
    long busy = (long) Math.ceil(heldVcpu / elasticity.unit().vcpu() - 1e-9);
    List<Unit> ready = kept.stream().filter(u -> !u.readyAt.isAfter(now)).toList();
    List<Unit> order = new ArrayList<>(kept.stream().filter(u -> u.readyAt.isAfter(now))
        .sorted(Comparator.comparing((Unit u) -> u.readyAt).reversed()).toList());
    long idleReady = Math.max(0, ready.size() - busy);
    ready.stream().sorted(Comparator.comparing((Unit u) -> u.requestedAt).reversed()).limit(idleReady)
        .forEach(order::add);
    for (Unit unit : order.subList(0, Math.min(count, order.size()))) {
      unit.leavesAt = unit.readyAt.isAfter(now) ? now : now.plus(elasticity.scaleInDelay());
    }
  }

  /** The pool is taken back: every unit leaves at the end of the notice. */
  void interrupt(String pool, Instant now, Duration notice) {
    interruptedAt.computeIfAbsent(pool, p -> new ArrayList<>()).add(now);
    for (Unit unit : units.getOrDefault(pool, List.of())) {
      Instant end = now.plus(notice);
      if (unit.leavesAt == null || unit.leavesAt.isAfter(end)) {
        unit.leavesAt = end;
      }
    }
  }

  /** The next moment a unit becomes ready or leaves after {@code now}, if any. */
  Instant nextChange(Instant now) {
    Instant next = null;
    for (List<Unit> list : units.values()) {
      for (Unit unit : list) {
        for (Instant at : new Instant[] {unit.readyAt, unit.leavesAt}) {
          if (at != null && at.isAfter(now) && (next == null || at.isBefore(next))) {
            next = at;
          }
        }
      }
    }
    return next;
  }

  /** What a pool's ready units hold together. */
  ResourceDemand readyCapacity(String pool, Instant now) {
    return elasticities.get(pool).of(size(pool, now).readyUnits());
  }

  /**
   * What the pools cost until {@code end}: every unit from its request until it left (or
   * {@code end}), at least the billing minimum.
   */
  double cost(Instant end) {
    double cost = 0;
    for (Map.Entry<String, List<Unit>> pool : units.entrySet()) {
      Elasticity elasticity = elasticities.get(pool.getKey());
      PricedPool price = prices.get(pool.getKey());
      for (Unit unit : pool.getValue()) {
        Instant left = unit.leavesAt == null || unit.leavesAt.isAfter(end) ? end : unit.leavesAt;
        long millis = Math.max(elasticity.billingMinimum().toMillis(),
            Math.max(0, Duration.between(unit.requestedAt, left).toMillis()));
        cost += price.costOf(elasticity.unit(), millis / 3_600_000.0);
      }
    }
    return cost;
  }

  /** Unit-seconds paid for, per pool, until {@code end}. */
  Map<String, Double> unitSeconds(Instant end) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    units.forEach((pool, list) -> seconds.put(pool, list.stream().mapToDouble(unit -> {
      Instant left = unit.leavesAt == null || unit.leavesAt.isAfter(end) ? end : unit.leavesAt;
      return Math.max(elasticities.get(pool).billingMinimum().toMillis(),
          Math.max(0, Duration.between(unit.requestedAt, left).toMillis())) / 1000.0;
    }).sum()));
    return seconds;
  }

  int refusals() {
    return refusals;
  }

  /** One unit's life, as the replay's account of its misses reads it: leaves null while kept. */
  record UnitSpan(Instant requestedAt, Instant readyAt, Instant leavesAt) {}

  /** What happened to one pool over the replay: its units, the requests for more it refused, its interruptions. */
  record PoolHistory(Elasticity elasticity, List<UnitSpan> units, List<Instant> refusals, List<Instant> interruptions) {}

  /** Every pool's history so far. */
  Map<String, PoolHistory> history() {
    Map<String, PoolHistory> history = new LinkedHashMap<>();
    units.forEach((pool, list) -> history.put(pool, new PoolHistory(elasticities.get(pool),
        list.stream().map(u -> new UnitSpan(u.requestedAt, u.readyAt, u.leavesAt)).toList(),
        List.copyOf(refusedAt.getOrDefault(pool, List.of())),
        List.copyOf(interruptedAt.getOrDefault(pool, List.of())))));
    return history;
  }

  private static Duration leadTime(Elasticity elasticity, SplittableRandom draw) {
    double u = 1 - draw.nextDouble();
    double v = draw.nextDouble();
    double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    long mean = elasticity.leadTime().toMillis();
    long noisy = mean + Math.round(gaussian * elasticity.leadTimeJitter().toMillis());
    return Duration.ofMillis(Math.max(Math.round(mean * LEAD_TIME_FLOOR), noisy));
  }
}
