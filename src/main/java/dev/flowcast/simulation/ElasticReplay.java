package dev.flowcast.simulation;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.arrivals.Announcements;
import dev.flowcast.arrivals.ArrivalProfile;
import dev.flowcast.arrivals.NextActionTiming;
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
 *       the last hour, the chance that their next request is running at some moment between the
 *       previous horizon and this one (the gaps between a case's events, learned from the log before
 *       the replayed window), times the predicted probability of each intent (the application's intent
 *       predictor, once per request of the user), times the demand in this pool of that intent's
 *       latest composition, or its template's likely binding before the first. Only users who have
 *       already made a request can announce the next one: the first request of a case comes
 *       unannounced. A request shorter than the gap between two horizons is counted in the later one,
 *       not lost between them.
 *   <li><b>intents</b> (oracle): the requests that really are running at some moment between the
 *       previous horizon and this one.
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

  /** Weeks of the log before the window that the arrival profile learns from. */
  static final int PROFILE_WEEKS = 8;

  /**
   * What the planner is fed with: the demand now; the series too; the intents of active users too;
   * and the requests no active user announces in time, from the log's weekly rhythm; or the actual arrivals.
   */
  enum Inputs { NOW, SERIES, INTENTS_AND_SERIES, FORECAST, ORACLE }

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
  private final Workload workload;
  private final ArrivalProfile unannounced;
  /** Which requests the users' intents count when the weekly rhythm counts the others (in replay time). */
  private final Announcements announcements;
  private final Instant start;
  private final Function<String, Optional<Workflow>> workflowOfDefinition;
  private final Function<String, Optional<Workflow>> likelyBindingOfIntent;
  private final Map<String, Optional<Workflow>> likelyOfIntent = new HashMap<>();
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
      NextActionTiming timing, Workload workload, Instant start,
      Function<String, Optional<Workflow>> likelyBindingOfIntent,
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
    this.workload = workload;
    this.arrivals = workload.arrivals();
    this.announcements = new Announcements(pools.elasticities().values().stream().map(Elasticity::leadTime)
        .min(Duration::compareTo).orElse(Duration.ZERO), ACTIVE_WITHIN);
    this.unannounced = inputs == Inputs.FORECAST ? unannouncedProfile(workload) : null;
    this.start = start;
    this.workflowOfDefinition = workflowOfDefinition;
    this.likelyBindingOfIntent = likelyBindingOfIntent;
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
      case FORECAST -> added(predictedFromUsers(now), unannouncedArrivals(now));
      case ORACLE -> actualArrivals(now);
      default -> Map.of();
    };
    List<PoolOutlook> outlooks = new ArrayList<>();
    for (Map.Entry<String, Elasticity> entry : pools.elasticities().entrySet()) {
      String pool = entry.getKey();
      Elasticity elasticity = entry.getValue();
      if (elasticity.minUnits() == elasticity.maxUnits()) {
        continue;
      }
      PoolSize size = pools.size(pool, now);
      boolean seesSeries = inputs == Inputs.SERIES || inputs == Inputs.INTENTS_AND_SERIES || inputs == Inputs.FORECAST;
      outlooks.add(new PoolOutlook(pool, now, elasticity, size,
          held.getOrDefault(pool, ResourceDemand.NONE), queued.getOrDefault(pool, ResourceDemand.NONE),
          predicted.getOrDefault(pool, Map.of()), seesSeries ? seriesUpper(pool, elasticity) : Map.of(),
          inputs == Inputs.NOW ? Map.of() : releases.getOrDefault(pool, Map.of())));
    }
    List<ScalingPlan> plans = planner.planAll(outlooks);
    for (int i = 0; i < outlooks.size(); i++) {
      PoolOutlook outlook = outlooks.get(i);
      ScalingPlan plan = plans.get(i);
      if (plan.desiredUnits() != outlook.size().provisionedUnits()) {
        try {
          pools.requestTarget(outlook.pool(), plan.desiredUnits(), now);
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
        workflowOf(intent).ifPresent(workflow -> workflow.peakDemandByPool()
            .forEach((pool, demand) -> queued.merge(pool, demand, ResourceDemand::plus)));
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
   * running at some moment since the previous horizon p, i.e. arrived within (p − D, h] for a
   * composition of D seconds.
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
        Workflow workflow = workflowOf(ranked.intent()).orElse(null);
        if (workflow == null || ranked.probability() <= 0) {
          continue;
        }
        double seconds = workflow.declaredSeconds();
        double before = 0;
        for (Duration horizon : HORIZONS) {
          double h = horizon.toSeconds();
          double from = Math.max(0, before - seconds);
          // fed the weekly rhythm, the requests it counts (too soon after the user's last) are not counted twice
          double chance = unannounced != null
              ? announcements.chanceAnnounced(elapsed, from, h,
                  (a, b) -> timing.chanceWithin(last.intent(), elapsed, a, b).orElse(0))
              : timing.chanceWithin(last.intent(), elapsed, from, h).orElse(0);
          before = h;
          double weight = chance * ranked.probability();
          if (weight <= 0) {
            continue;
          }
          workflow.peakDemandByPool().forEach((pool, demand) -> predicted.computeIfAbsent(pool, p -> new TreeMap<>())
              .merge(horizon, demand.times(weight), ResourceDemand::plus));
        }
      }
    }
    return predicted;
  }

  /**
   * The requests no active user announces in time (a case's first, one after the case has been
   * inactive for longer than {@link #ACTIVE_WITHIN}, or one that follows the case's previous request
   * sooner than any pool's lead time) as the log's weekly rhythm expects them: per
   * horizon, the most running at the previous horizon, halfway or at the horizon itself, each
   * intent's expected count times the demand of its composition (the expected count, as the
   * application's outlook takes it: one standard deviation more cost more and missed more on a trial replay).
   */
  private Map<String, Map<Duration, ResourceDemand>> unannouncedArrivals(Instant now) {
    Map<String, Map<Duration, ResourceDemand>> expected = new HashMap<>();
    double before = 0;
    for (Duration horizon : HORIZONS) {
      double h = horizon.toSeconds();
      Map<String, ResourceDemand> peak = new HashMap<>();
      for (double at : new double[] {before, (before + h) / 2, h}) {
        Map<String, ResourceDemand> running = new HashMap<>();
        for (String intent : intents) {
          Workflow workflow = workflowOf(intent).orElse(null);
          if (workflow == null) {
            continue;
          }
          Instant until = now.plusMillis((long) (at * 1000));
          Instant since = until.minusMillis((long) (workflow.declaredSeconds() * 1000));
          // those that arrived before now are running or queued, and counted as such
          ArrivalProfile.Expected count = unannounced.expectedStillToCome(logTimeOf(now), logTimeOf(since),
              logTimeOf(until)).get(intent);
          if (count != null) {
            double requests = count.sessions();
            workflow.peakDemandByPool().forEach((pool, demand) ->
                running.merge(pool, demand.times(requests), ResourceDemand::plus));
          }
        }
        running.forEach((pool, demand) -> peak.merge(pool, demand, ResourceDemand::max));
      }
      peak.forEach((pool, demand) -> expected.computeIfAbsent(pool, p -> new TreeMap<>()).put(horizon, demand));
      before = h;
    }
    return expected;
  }

  /** The log's time at a moment of the replay. */
  private Instant logTimeOf(Instant replayed) {
    return workload.logTimeAt(Duration.between(start, replayed));
  }

  /**
   * What no active user announces in time, learned from the log before the window: the profile
   * reads the log's own time, so the replay's lead time and active hour are stretched by the speedup.
   */
  private ArrivalProfile unannouncedProfile(Workload workload) {
    List<ActivityEvent> events = workload.history().stream()
        .map(event -> new ActivityEvent(workload.logTimeAt(event.at()), event.caseId(), event.intent(), null, null, null))
        .toList();
    return ArrivalProfile.learn(ArrivalProfile.unannounced(events, announcements.stretched(workload.speedup())),
        workload.logFrom(), PROFILE_WEEKS);
  }

  private static Map<String, Map<Duration, ResourceDemand>> added(Map<String, Map<Duration, ResourceDemand>> a,
      Map<String, Map<Duration, ResourceDemand>> b) {
    Map<String, Map<Duration, ResourceDemand>> sum = new HashMap<>();
    for (Map<String, Map<Duration, ResourceDemand>> part : List.of(a, b)) {
      part.forEach((pool, byHorizon) -> byHorizon.forEach((horizon, demand) ->
          sum.computeIfAbsent(pool, p -> new TreeMap<>()).merge(horizon, demand, ResourceDemand::plus)));
    }
    return sum;
  }

  /** The oracle's intents: the requests that really are running at some moment since the previous horizon. */
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
      Workflow workflow = workflowOf(arrival.intent()).orElse(null);
      if (workflow == null) {
        continue;
      }
      double in = arrival.at().minus(elapsed).toMillis() / 1000.0;
      double before = 0;
      for (Duration horizon : HORIZONS) {
        double h = horizon.toSeconds();
        boolean runningWithin = in <= h && in > before - workflow.declaredSeconds();
        before = h;
        if (runningWithin) {
          workflow.peakDemandByPool().forEach((pool, demand) -> actual.computeIfAbsent(pool, p -> new TreeMap<>())
              .merge(horizon, demand, ResourceDemand::plus));
        }
      }
    }
    return actual;
  }

  /** Where a request of the intent is expected to run, and for how long (nowhere, for no time, if nothing is known). */
  MissCauses.Expected expected(String intent) {
    return workflowOf(intent).map(w -> new MissCauses.Expected(w.peakDemandByPool().keySet(),
        Duration.ofMillis((long) (w.declaredSeconds() * 1000)))).orElse(new MissCauses.Expected(Set.of(), Duration.ZERO));
  }

  /**
   * The workflow a request of the intent is expected to run: the intent's latest composition, or,
   * before the first, its template's likely binding (as the application's demand outlook prices it).
   */
  private Optional<Workflow> workflowOf(String intent) {
    Workflow latest = latestOfIntent.get(intent);
    return latest != null ? Optional.of(latest)
        : likelyOfIntent.computeIfAbsent(intent, likelyBindingOfIntent);
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
}
