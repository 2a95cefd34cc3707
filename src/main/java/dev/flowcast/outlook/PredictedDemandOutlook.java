package dev.flowcast.outlook;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * Demand that predictions say is coming, and demand running instances will give back:
 * <ul>
 *   <li><b>intents</b>: for every user active within {@code activeWithin}, the predicted
 *       probability of each intent as their next request × the chance that the request arrives
 *       soon enough to be running at the horizon × the peak demand of that intent's composition
 *       (the newest deployed one). Arrivals are exponential with the user's own mean gap between
 *       actions: a request of duration D is running at horizon h if it arrives in (h − D, h].
 *   <li><b>releases</b>: what every running instance holds, for those expected to have ended by
 *       the horizon (started when they reserved, taking their workflow's declared critical path).
 * </ul>
 * Computed once per {@code refresh} for all horizons: the profile asks for it on every request.
 */
class PredictedDemandOutlook implements DemandOutlook {

  /** One horizon's outlook, and the expected number of requests per intent behind it. */
  record Outlook(Parts parts, Map<String, Double> expectedRequests) {}

  private record Computed(Instant at, Map<Duration, Outlook> byHorizon) {}

  private record Composition(Map<ResourceKind, Double> peak, double seconds) {}

  private static final Duration MIN_GAP = Duration.ofMinutes(1);

  private final ActivityLog activity;
  private final IntentPredictor predictor;
  private final Composer composer;
  private final Recomposer recomposer;
  private final RepositoryService repository;
  private final RuntimeService runtime;
  private final ReservationLedger ledger;
  private final Duration activeWithin;
  private final Duration refresh;
  private final Clock clock;
  private volatile Computed computed;
  private final AtomicLong computations = new AtomicLong();

  PredictedDemandOutlook(ActivityLog activity, IntentPredictor predictor, Composer composer, Recomposer recomposer,
      RepositoryService repository, RuntimeService runtime, ReservationLedger ledger, Duration activeWithin,
      Duration refresh, Clock clock) {
    this.activity = activity;
    this.predictor = predictor;
    this.composer = composer;
    this.recomposer = recomposer;
    this.repository = repository;
    this.runtime = runtime;
    this.ledger = ledger;
    this.activeWithin = activeWithin;
    this.refresh = refresh;
    this.clock = clock;
  }

  @Override
  public Parts at(Instant now, Duration horizon) {
    return outlook(now, horizon).parts();
  }

  /** The outlook at a horizon, with the expected requests per intent behind it. */
  Outlook outlook(Instant now, Duration horizon) {
    Computed current = computed;
    if (stale(current, now, horizon)) {
      current = refreshed(now, horizon);
    }
    return current.byHorizon().getOrDefault(horizon, new Outlook(Parts.NONE, Map.of()));
  }

  /**
   * Worked out by one thread while the others wait for its answer: every request reads the profile,
   * and when the outlook expires, all of them would otherwise compute it again one after another.
   */
  private synchronized Computed refreshed(Instant now, Duration horizon) {
    Computed current = computed;
    if (stale(current, now, horizon)) {
      current = compute(now);
      computations.incrementAndGet();
      computed = current;
    }
    return current;
  }

  private boolean stale(Computed current, Instant now, Duration horizon) {
    return current == null || current.at().plus(refresh).isBefore(now) || !current.byHorizon().containsKey(horizon);
  }

  /** How often the outlook has been worked out since the start. */
  long computations() {
    return computations.get();
  }

  /** The next profile computes the outlook afresh (tests; an operator who wants it now). */
  void refreshNow() {
    computed = null;
  }

  private Computed compute(Instant now) {
    Map<String, Composition> compositions = new HashMap<>();
    for (String intent : composer.intents()) {
      compositionOf(intent).ifPresent(c -> compositions.put(intent, c));
    }
    Map<String, List<Instant>> actionsByUser = new LinkedHashMap<>();
    for (ActivityEvent event : activity.since(now.minus(activeWithin), 10_000)) {
      actionsByUser.computeIfAbsent(event.user(), u -> new ArrayList<>()).add(event.time());
    }
    List<ReservationLedger.Holding> holdings = ledger.holdings();
    Map<String, Double> secondsOf = runningSeconds(holdings);
    Map<Duration, Outlook> byHorizon = new LinkedHashMap<>();
    for (Duration horizon : ResourceProfile.HORIZONS) {
      double h = horizon.toMillis() / 1000.0;
      Map<ResourceKind, Double> intents = new EnumMap<>(ResourceKind.class);
      Map<String, Double> expectedRequests = new TreeMap<>();
      actionsByUser.forEach((user, times) -> {
        double gap = meanGapSeconds(times);
        IntentPrediction prediction = predictor.predict(user, composer.intents(), now);
        for (IntentPrediction.RankedIntent ranked : prediction.ranking()) {
          double arrives = arrivalWithin(h, gap);
          expectedRequests.merge(ranked.intent(), ranked.probability() * arrives, Double::sum);
          Composition composition = compositions.get(ranked.intent());
          if (composition == null) {
            continue;
          }
          // running at the horizon: arrived within (h - D, h]
          double runningAtHorizon = arrives - arrivalWithin(Math.max(0, h - composition.seconds()), gap);
          composition.peak().forEach((kind, peak) ->
              intents.merge(kind, ranked.probability() * runningAtHorizon * peak, Double::sum));
        }
      });
      Map<ResourceKind, Double> releases = new EnumMap<>(ResourceKind.class);
      for (ReservationLedger.Holding holding : holdings) {
        Double seconds = secondsOf.get(holding.processInstanceId());
        if (seconds != null && !holding.since().plusMillis((long) (seconds * 1000)).isAfter(now.plus(horizon))) {
          for (ResourceKind kind : ResourceKind.values()) {
            releases.merge(kind, kind.of(holding.demand()), Double::sum);
          }
        }
      }
      byHorizon.put(horizon, new Outlook(new Parts(intents, releases), expectedRequests));
    }
    return new Computed(now, byHorizon);
  }

  /** The chance that the next request of a user whose actions are {@code gap} seconds apart on average arrives within t. */
  private static double arrivalWithin(double t, double gap) {
    return 1 - Math.exp(-t / gap);
  }

  private double meanGapSeconds(List<Instant> times) {
    if (times.size() < 2) {
      return activeWithin.toMillis() / 1000.0; // one action seen: as if once per window
    }
    List<Instant> sorted = new ArrayList<>(times);
    sorted.sort(Instant::compareTo);
    double span = Duration.between(sorted.get(0), sorted.get(sorted.size() - 1)).toMillis() / 1000.0;
    return Math.max(MIN_GAP.toSeconds(), span / (sorted.size() - 1));
  }

  /** The newest deployed composition of an intent: its peak demand per kind and its declared critical path. */
  private Optional<Composition> compositionOf(String intent) {
    ProcessDefinition definition = repository.createProcessDefinitionQuery()
        .processDefinitionKey(ProcessKeys.composed(intent)).latestVersion().singleResult();
    if (definition == null) {
      return Optional.empty();
    }
    return recomposer.workflowOf(definition.getId()).map(workflow -> {
      Map<ResourceKind, Double> peak = new EnumMap<>(ResourceKind.class);
      workflow.peakDemandByPool().values().forEach(demand -> {
        for (ResourceKind kind : ResourceKind.values()) {
          peak.merge(kind, kind.of(demand), Double::sum);
        }
      });
      return new Composition(peak, workflow.declaredSeconds());
    });
  }

  /** How long each holding instance's workflow takes in all, by its declared durations. */
  private Map<String, Double> runningSeconds(List<ReservationLedger.Holding> holdings) {
    Map<String, Double> seconds = new HashMap<>();
    if (holdings.isEmpty()) {
      return seconds;
    }
    String[] ids = holdings.stream().map(ReservationLedger.Holding::processInstanceId).toArray(String[]::new);
    Map<String, Double> byDefinition = new HashMap<>();
    for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceIds(Set.of(ids)).list()) {
      Double length = byDefinition.computeIfAbsent(instance.getProcessDefinitionId(),
          id -> recomposer.workflowOf(id).map(Workflow::declaredSeconds).orElse(null));
      if (length != null) {
        seconds.put(instance.getId(), length);
      }
    }
    return seconds;
  }
}
