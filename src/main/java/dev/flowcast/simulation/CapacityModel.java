package dev.flowcast.simulation;

import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The simulated pools: their limits and prices from the catalog, minus the background load; how
 * long a component's work takes in them (declared duration, seeded log-normal noise, slower in
 * proportion when the pool is over-committed; the noise of a request's step is the same under
 * every strategy, whatever binding and order it runs in, so that strategies differ by their
 * choices and not by their luck); what it costs; and when spot capacity is taken back
 * (a Poisson process at each pool's {@code interruptionRatePerHour}, drawn from the seed).
 */
final class CapacityModel {

  /** Noise of run times: the standard deviation of their logarithm. */
  static final double RUN_TIME_SIGMA = 0.25;

  /** One piece of work in a pool: its job, what it holds, since when, and when it will be done. */
  record Run(String jobId, String draw, String component, String pool, ResourceDemand demand, Duration declared,
      Instant since, Instant until) {}

  /** One interruption of a pool. */
  record Interruption(Instant at, String pool) {}

  private final Map<String, PricedPool> pools;
  private final ReplayState state;
  private final long seed;
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, Run> running = new HashMap<>();
  private double cost;
  private int interrupted;
  private ElasticPools elastic;

  CapacityModel(Map<String, PricedPool> pools, ReplayState state, long seed) {
    this.pools = Map.copyOf(pools);
    this.state = state;
    this.seed = seed;
  }

  /** Interruptions over {@code length} from {@code start}, the same for every strategy given the seed. */
  static List<Interruption> interruptions(Map<String, PricedPool> pools, long seed, Instant start, Duration length) {
    List<Interruption> drawn = new ArrayList<>();
    pools.values().stream().sorted(java.util.Comparator.comparing(PricedPool::name)).forEach(pool -> {
      if (pool.interruptionRatePerHour() <= 0) {
        return;
      }
      Random random = new Random(seed ^ pool.name().hashCode());
      double hours = 0;
      double limit = length.toMillis() / 3_600_000.0;
      while (true) {
        hours += -Math.log(1 - random.nextDouble()) / pool.interruptionRatePerHour();
        if (hours >= limit) {
          break;
        }
        drawn.add(new Interruption(start.plusMillis((long) (hours * 3_600_000)), pool.name()));
      }
    });
    drawn.sort(java.util.Comparator.comparing(Interruption::at));
    return drawn;
  }

  /**
   * Starts a component's work now; its run time depends on how committed the pool is with it.
   *
   * @param draw what the run's noise is drawn for (a request's step): each attempt of it draws anew
   */
  Run start(String jobId, String draw, String component, String pool, ResourceDemand demand, Duration declared,
      Instant now, Duration delay) {
    double load = (usedVcpu(pool) + demand.vcpu()) / Math.max(1e-9, effectiveVcpu(pool, now));
    double slowdown = Math.max(1.0, load);
    int attempt = attempts.merge(draw, 1, Integer::sum);
    double factor = Math.exp(RUN_TIME_SIGMA * gaussian(draw + "#" + attempt) - RUN_TIME_SIGMA * RUN_TIME_SIGMA / 2);
    long millis = Math.max(1, (long) (declared.toMillis() * factor * slowdown));
    Instant begins = now.plus(delay);
    Run run = new Run(jobId, draw, component, pool, demand, declared, begins, begins.plusMillis(millis));
    running.put(jobId, run);
    return run;
  }

  /** The work is over (done, cancelled or lost): it is paid for the time it held its pool. */
  void stop(String jobId, Instant now) {
    Run run = running.remove(jobId);
    if (run == null) {
      return;
    }
    PricedPool pool = pools.get(run.pool());
    if (pool != null && now.isAfter(run.since())) {
      cost += pool.costOf(run.demand(), Duration.between(run.since(), now).toMillis() / 3_600_000.0);
    }
  }

  /** The pool is taken back: its work is lost, paid, and starts again when the pool returns. */
  List<Run> interrupt(String pool, Instant now, Duration reclaim) {
    List<Run> lost = running.values().stream().filter(r -> r.pool().equals(pool))
        .sorted(java.util.Comparator.comparing(Run::jobId)).toList();
    interrupted += lost.size();
    return lost;
  }

  Map<String, Run> running() {
    return running;
  }

  double usedVcpu(String pool) {
    return running.values().stream().filter(r -> r.pool().equals(pool)).mapToDouble(r -> r.demand().vcpu()).sum();
  }

  /** The pools' capacity is what these elastic pools have ready, not the catalog's. */
  void sizedBy(ElasticPools elasticPools) {
    this.elastic = elasticPools;
  }

  double effectiveVcpu(String pool, Instant now) {
    if (elastic != null && elastic.elasticities().containsKey(pool)) {
      return elastic.readyCapacity(pool, now).vcpu();
    }
    PricedPool priced = pools.get(pool);
    return priced == null ? 0 : priced.capacity().vcpu() * (1 - state.backgroundShareAt(now));
  }

  double cost() {
    return cost;
  }

  int interrupted() {
    return interrupted;
  }

  private double gaussian(String draw) {
    // Box–Muller from a generator of the seed and the draw's name (String.hashCode is fixed by the
    // language), so the draws are the same on every JVM
    SplittableRandom noise = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + draw.hashCode());
    double u = 1 - noise.nextDouble();
    double v = noise.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
