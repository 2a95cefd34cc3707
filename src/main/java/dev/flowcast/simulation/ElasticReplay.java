package dev.flowcast.simulation;

import dev.flowcast.capacity.CapacityPlanner;
import dev.flowcast.capacity.CapacityRequestException;
import dev.flowcast.capacity.PoolOutlook;
import dev.flowcast.capacity.PoolSize;
import dev.flowcast.capacity.ScalingPlan;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.prediction.NextActionTiming;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * One replay's elastic pools: the planner's tick (every {@link #TICK} of replay time), what it is
 * told of each pool, the provider's answer, and the composer kept told of the capacity that is
 * ready (the pool's capacity in the price catalog, as the admin API's override sets it).
 *
 * <p>What the planner is told of a pool, per horizon ahead:
 * <ul>
 *   <li><b>intents</b> (flowcast): for every user (a case of the log) who made a request within
 *       the last hour, the chance that their next request arrives in time to be running at the
 *       horizon (the gaps between a case's events, learned from the log before the replayed window),
 *       times the predicted probability of each intent (the application's intent predictor, once
 *       per request of the user), times the demand in this pool of that intent's latest composition.
 *       Only users who have already made a request can announce the next one: the first request of
 *       a case comes unannounced.
 *   <li><b>intents</b> (oracle): the requests that really arrive in time to be running at the horizon.
 *   <li><b>series' upper quantile</b>: the trend of the pool's demand (held and queued vCPU) over the
 *       last ten minutes, plus 1.645 residual standard deviations (the application's trend forecaster).
 *   <li><b>releases</b>: what running instances hold in the pool, for those whose declared
 *       critical path has ended by the horizon.
 * </ul>
 */
final class ElasticReplay {

  static final Duration TICK = Duration.ofSeconds(30);
  static final List<Duration> HORIZONS = List.of(30, 60, 90, 120, 180, 240, 300, 420, 600).stream()
      .map(Duration::ofSeconds).toList();
  /** Users count as active this long after their latest request (the outlook's default). */
  static final Duration ACTIVE_WITHIN = Duration.ofHours(1);
  private static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
  private static final double UPPER_QUANTILE_Z = 1.645;

  /** What the planner is fed with. */
  enum Inputs { NOW, SERIES, INTENTS_AND_SERIES, ORACLE }

  private record LastRequest(Instant at, String intent) {}

  private record Sample(Instant at, double vcpu) {}

  private final ElasticPools pools;
  private final CapacityPlanner planner;
  private final Inputs inputs;
  private final PriceCatalog catalog;
  private final ReservationLedger ledger;
  private final RuntimeService runtime;
  private final IntentPredictor predictor;
  private final Set<String> intents;
  private final NextActionTiming timing;
  private final List<Workload.Arrival> arrivals;
  private final Instant start;
  private final Function<String, Optional<Workflow>> workflowOfDefinition;
  private final DemandForecaster trend = DemandForecaster.trend(UPPER_QUANTILE_Z);
  private final Map<String, Workflow> latestOfIntent = new HashMap<>();
  private final Map<String, LastRequest> lastRequestOf = new LinkedHashMap<>();
  private final Map<String, IntentPrediction> predictionOf = new HashMap<>();
  private final Map<String, Deque<Sample>> demandSeries = new HashMap<>();
  private final Map<String, ResourceDemand> published = new HashMap<>();
  private final Map<String, Double> peakDemand = new TreeMap<>();
  private final Map<String, Double> demandSum = new TreeMap<>();
  private int demandSamples;
  private int scalings;
  private int failedRequests;

  ElasticReplay(ElasticPools pools, CapacityPlanner planner, Inputs inputs, PriceCatalog catalog,
      ReservationLedger ledger, RuntimeService runtime, IntentPredictor predictor, Set<String> intents,
      NextActionTiming timing, List<Workload.Arrival> arrivals, Instant start,
      Function<String, Optional<Workflow>> workflowOfDefinition) {
    this.pools = pools;
    this.planner = planner;
    this.inputs = inputs;
    this.catalog = catalog;
    this.ledger = ledger;
    this.runtime = runtime;
    this.predictor = predictor;
    this.intents = Set.copyOf(intents);
    this.timing = timing;
    this.arrivals = arrivals;
    this.start = start;
    this.workflowOfDefinition = workflowOfDefinition;
  }

  /** A user's request arrived (what a deployed Flowcast records as the user's activity). */
  void arrived(String user, String intent, Instant at) {
    lastRequestOf.put(user, new LastRequest(at, intent));
    predictionOf.remove(user);
  }

  /** The composer chose (or, queueing, would have chosen) this workflow for the intent. */
  void composed(String intent, Workflow workflow) {
    latestOfIntent.put(intent, workflow);
  }

  /** Makes the composer see the capacity that is ready now. */
  void publish(Instant now) {
    for (String pool : pools.elasticities().keySet()) {
      ResourceDemand ready = pools.readyCapacity(pool, now);
      if (!ready.equals(published.get(pool))) {
        PricedPool priced = catalog.pools().get(pool);
        catalog.override(new PricedPool(pool, ready, priced.pricePerVcpuHour(), priced.pricePerGbHour(),
            priced.interruptionRatePerHour()));
        published.put(pool, ready);
      }
    }
  }

  /** The planner's tick: every elastic pool planned and asked for; no planner, only the demand measured. */
  void tick(Instant now) {
    Map<String, ResourceDemand> held = ledger.heldPerPool();
    pools.holding(held);
    Map<String, ResourceDemand> queued = queuedPerPool();
    for (Map.Entry<String, Elasticity> entry : pools.elasticities().entrySet()) {
      String pool = entry.getKey();
      double demand = held.getOrDefault(pool, ResourceDemand.NONE).vcpu()
          + queued.getOrDefault(pool, ResourceDemand.NONE).vcpu();
      Deque<Sample> series = demandSeries.computeIfAbsent(pool, p -> new ArrayDeque<>());
      series.addLast(new Sample(now, demand));
      while (series.peekFirst().at().isBefore(now.minus(SERIES_WINDOW))) {
        series.removeFirst();
      }
    }
    if (planner == null) {
      return;
    }
    Map<String, Map<Duration, ResourceDemand>> releases = releasesPerPool(now);
    Map<String, Map<Duration, ResourceDemand>> predicted = switch (inputs) {
      case INTENTS_AND_SERIES -> predictedFromUsers(now);
      case ORACLE -> actualArrivals(now);
      default -> Map.of();
    };
    for (Map.Entry<String, Elasticity> entry : pools.elasticities().entrySet()) {
      String pool = entry.getKey();
      Elasticity elasticity = entry.getValue();
      if (elasticity.minUnits() == elasticity.maxUnits()) {
        continue;
      }
      PoolSize size = pools.size(pool, now);
      boolean seesSeries = inputs == Inputs.SERIES || inputs == Inputs.INTENTS_AND_SERIES;
      PoolOutlook outlook = new PoolOutlook(pool, now, elasticity, size,
          held.getOrDefault(pool, ResourceDemand.NONE), queued.getOrDefault(pool, ResourceDemand.NONE),
          predicted.getOrDefault(pool, Map.of()), seesSeries ? seriesUpper(pool, elasticity) : Map.of(),
          inputs == Inputs.NOW ? Map.of() : releases.getOrDefault(pool, Map.of()));
      ScalingPlan plan = planner.plan(outlook);
      if (plan.desiredUnits() != size.provisionedUnits()) {
        try {
          pools.requestTarget(pool, plan.desiredUnits(), now);
          scalings++;
        } catch (CapacityRequestException refused) {
          failedRequests++;
        }
      }
    }
  }

  /** Measures the demand on each pool (held and queued vCPU), for sizing static pools. */
  void measure(Instant now) {
    Map<String, ResourceDemand> held = ledger.heldPerPool();
    Map<String, ResourceDemand> queued = queuedPerPool();
    for (String pool : pools.elasticities().keySet()) {
      double demand = held.getOrDefault(pool, ResourceDemand.NONE).vcpu()
          + queued.getOrDefault(pool, ResourceDemand.NONE).vcpu();
      peakDemand.merge(pool, demand, Math::max);
      demandSum.merge(pool, demand, Double::sum);
    }
    demandSamples++;
  }

  /** The highest demand measured on each pool, in vCPU. */
  Map<String, Double> peakDemand() {
    return Map.copyOf(peakDemand);
  }

  /** The mean demand measured on each pool, in vCPU. */
  Map<String, Double> meanDemand() {
    Map<String, Double> mean = new TreeMap<>();
    demandSum.forEach((pool, sum) -> mean.put(pool, demandSamples == 0 ? 0 : sum / demandSamples));
    return mean;
  }

  Instant nextChange(Instant now) {
    return pools.nextChange(now);
  }

  ElasticPools pools() {
    return pools;
  }

  int scalings() {
    return scalings;
  }

  int failedRequests() {
    return failedRequests;
  }

  /** The catalog as its file says, for the next replay. */
  void restore() {
    catalog.reload();
    published.clear();
  }

  /** Queued requests, each as the demand its intent's latest composition puts on each pool. */
  private Map<String, ResourceDemand> queuedPerPool() {
    Map<String, ResourceDemand> queued = new HashMap<>();
    for (ProcessInstance instance : runtime.createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE)
        .active().list()) {
      if (runtime.getVariable(instance.getId(), ProcessVariables.INTENT) instanceof String intent) {
        Workflow workflow = latestOfIntent.get(intent);
        if (workflow != null) {
          workflow.peakDemandByPool().forEach((pool, demand) -> queued.merge(pool, demand, ResourceDemand::plus));
        }
      }
    }
    return queued;
  }

  /** What running instances hold in each pool, given back by each horizon when their declared path ends by then. */
  private Map<String, Map<Duration, ResourceDemand>> releasesPerPool(Instant now) {
    Map<String, Map<Duration, ResourceDemand>> releases = new HashMap<>();
    List<ReservationLedger.Holding> holdings = ledger.holdings();
    if (holdings.isEmpty()) {
      return releases;
    }
    Map<String, Instant> since = new HashMap<>();
    holdings.forEach(h -> since.put(h.processInstanceId(), h.since()));
    for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceIds(since.keySet()).list()) {
      Optional<Workflow> workflow = workflowOfDefinition.apply(instance.getProcessDefinitionId());
      if (workflow.isEmpty()) {
        continue;
      }
      Instant ends = since.get(instance.getId()).plusMillis((long) (workflow.get().declaredSeconds() * 1000));
      workflow.get().peakDemandByPool().forEach((pool, demand) -> {
        for (Duration horizon : HORIZONS) {
          if (!ends.isAfter(now.plus(horizon))) {
            releases.computeIfAbsent(pool, p -> new TreeMap<>()).merge(horizon, demand, ResourceDemand::plus);
          }
        }
      });
    }
    return releases;
  }

  /**
   * Demand per pool that active users' next requests are predicted to put on it at each horizon:
   * running then, i.e. arrived within (h − D, h] for a composition of D seconds.
   */
  private Map<String, Map<Duration, ResourceDemand>> predictedFromUsers(Instant now) {
    Map<String, Map<Duration, ResourceDemand>> predicted = new HashMap<>();
    for (Map.Entry<String, LastRequest> user : lastRequestOf.entrySet()) {
      LastRequest last = user.getValue();
      if (last.at().isBefore(now.minus(ACTIVE_WITHIN))) {
        continue;
      }
      double elapsed = Duration.between(last.at(), now).toMillis() / 1000.0;
      IntentPrediction prediction = predictionOf.computeIfAbsent(user.getKey(),
          u -> predictor.predict(u, intents, now));
      for (IntentPrediction.RankedIntent ranked : prediction.ranking()) {
        Workflow workflow = latestOfIntent.get(ranked.intent());
        if (workflow == null || ranked.probability() <= 0) {
          continue;
        }
        double seconds = workflow.declaredSeconds();
        for (Duration horizon : HORIZONS) {
          double h = horizon.toSeconds();
          double chance = timing.chanceWithin(last.intent(), elapsed, Math.max(0, h - seconds), h).orElse(0);
          double weight = chance * ranked.probability();
          if (weight <= 0) {
            continue;
          }
          workflow.peakDemandByPool().forEach((pool, demand) -> predicted.computeIfAbsent(pool, p -> new TreeMap<>())
              .merge(horizon, scaled(demand, weight), ResourceDemand::plus));
        }
      }
    }
    return predicted;
  }

  /** The oracle's intents: the requests that really arrive in time to be running at each horizon. */
  private Map<String, Map<Duration, ResourceDemand>> actualArrivals(Instant now) {
    Map<String, Map<Duration, ResourceDemand>> actual = new HashMap<>();
    Duration elapsed = Duration.between(start, now);
    Duration farthest = HORIZONS.get(HORIZONS.size() - 1);
    for (Workload.Arrival arrival : arrivals) {
      if (arrival.at().compareTo(elapsed) <= 0) {
        continue;
      }
      if (arrival.at().minus(elapsed).compareTo(farthest) > 0) {
        break;
      }
      Workflow workflow = latestOfIntent.get(arrival.intent());
      if (workflow == null) {
        continue;
      }
      double in = arrival.at().minus(elapsed).toMillis() / 1000.0;
      for (Duration horizon : HORIZONS) {
        double h = horizon.toSeconds();
        if (in <= h && in > h - workflow.declaredSeconds()) {
          workflow.peakDemandByPool().forEach((pool, demand) -> actual.computeIfAbsent(pool, p -> new TreeMap<>())
              .merge(horizon, demand, ResourceDemand::plus));
        }
      }
    }
    return actual;
  }

  /** The upper quantile of the pool's demand at each horizon, from its recent series. */
  private Map<Duration, ResourceDemand> seriesUpper(String pool, Elasticity elasticity) {
    Deque<Sample> series = demandSeries.get(pool);
    if (series == null || series.isEmpty()) {
      return Map.of();
    }
    double capacity = elasticity.of(elasticity.maxUnits()).vcpu();
    List<ResourceSample> samples = new ArrayList<>();
    for (Sample sample : series) {
      samples.add(new ResourceSample(sample.at(), capacity, sample.vcpu(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
    Map<Duration, ResourceDemand> upper = new TreeMap<>();
    for (Duration horizon : HORIZONS) {
      upper.put(horizon, new ResourceDemand(trend.projectUse(ResourceKind.CPU, samples, horizon).upper(), 0, 0, 0));
    }
    return upper;
  }

  private static ResourceDemand scaled(ResourceDemand demand, double factor) {
    return new ResourceDemand(demand.vcpu() * factor, demand.memoryMb() * factor, demand.networkMbps() * factor,
        demand.diskIops() * factor);
  }
}
