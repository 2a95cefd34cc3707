package dev.flowcast.outlook;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.arrivals.Announcements;
import dev.flowcast.arrivals.ArrivalProfile;
import dev.flowcast.arrivals.NextActionTiming;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 *       (the newest deployed one). A request of duration D is running at horizon h if it arrives in
 *       (h − D, h]; when it arrives is learned from the activity log of the last {@link #LEARN_FROM}
 *       ({@link NextActionTiming}: what gaps followed the user's latest action, given how long ago it
 *       was), or, before anything has been learned, exponential with the user's own mean gap.
 *       Plus the requests no active user announces in time (new sessions, and actions that follow
 *       their user's previous one sooner than the shortest lead time of an elastic pool), as the
 *       weekly rhythm of the last {@link #PROFILE_WEEKS} weeks of activity expects them
 *       ({@link ArrivalProfile}; once at least a whole week has been recorded).
 *   <li><b>releases</b>: what every running instance holds, for those expected to have ended by
 *       the horizon (started when they reserved, taking their workflow's declared critical path).
 * </ul>
 * Computed once per {@code refresh} for all horizons: the profile asks for it on every request.
 */
class PredictedDemandOutlook implements DemandOutlook {

  /** One horizon's outlook, and the expected number of requests per intent behind it. */
  record Outlook(Parts parts, Map<String, Double> expectedRequests) {}

  private record Computed(Instant at, Map<Duration, Outlook> byHorizon) {}

  /**
   * What was learned: the next-action timing, and the weekly rhythm of what its users do not
   * announce with the rule it was learned by (while there is none, users' intents count every next action).
   */
  private record Learned(Instant at, NextActionTiming timing, Optional<ArrivalProfile> unannounced,
      Announcements announcements) {

    /** The rule of what the users' intents count, when the weekly rhythm counts the rest. */
    Optional<Announcements> countedByTheRhythm() {
      return unannounced.map(profile -> announcements);
    }
  }

  private record Composition(Map<ResourceKind, Double> peak, Map<String, ResourceDemand> peakByPool, double seconds) {}

  private static final Duration MIN_GAP = Duration.ofMinutes(1);
  /** How much of the activity log the arrival times are learned from, and how often again. */
  static final Duration LEARN_FROM = Duration.ofDays(7);
  /** How many weeks of activity the weekly rhythm of unannounced requests is learned from, at most. */
  static final int PROFILE_WEEKS = 8;
  private static final Duration RELEARN = Duration.ofMinutes(10);
  private static final int MAX_LEARNED_EVENTS = 200_000;
  private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(2);

  private final ActivityLog activity;
  private final IntentPredictor predictor;
  private final Composer composer;
  private final Recomposer recomposer;
  private final RepositoryService repository;
  private final RuntimeService runtime;
  private final ReservationLedger ledger;
  private final PriceCatalog catalog;
  private final Duration activeWithin;
  private final Duration refresh;
  private final Clock clock;
  private volatile Computed computed;
  private Learned learned; // under computing
  /** The declared length of each holding's workflow, empty when it has none (under computing). */
  private final Map<Held, Optional<Double>> lengths = new HashMap<>();
  private final AtomicLong computations = new AtomicLong();
  private final ReentrantLock computing = new ReentrantLock();

  PredictedDemandOutlook(ActivityLog activity, IntentPredictor predictor, Composer composer, Recomposer recomposer,
      RepositoryService repository, RuntimeService runtime, ReservationLedger ledger, PriceCatalog catalog,
      Duration activeWithin, Duration refresh, Clock clock) {
    this.catalog = catalog;
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
      current = refreshed(now, horizon, current);
    }
    return current.byHorizon().getOrDefault(horizon, new Outlook(Parts.NONE, Map.of()));
  }

  /**
   * Worked out by one thread at a time: every request reads the profile, and when the outlook
   * expires, all of them would otherwise compute it again one after another. The others do not
   * wait for it while there is a previous outlook: they take that one, a few seconds old. Waiting
   * would hold their database connections (a job's or a request's transaction) while the thread
   * that computes may need one of them, and a full pool then fails every one of them. With no
   * outlook yet they wait, at most {@code WAIT_FOR_FIRST}, and then go on without one.
   */
  private Computed refreshed(Instant now, Duration horizon, Computed previous) {
    boolean previousAnswers = previous != null && previous.byHorizon().containsKey(horizon);
    boolean mine;
    try {
      mine = previousAnswers ? computing.tryLock() : computing.tryLock(WAIT_FOR_FIRST.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mine = false;
    }
    if (!mine) {
      return previousAnswers ? previous : new Computed(now, Map.of());
    }
    try {
      Computed current = computed;
      if (stale(current, now, horizon)) {
        current = compute(now);
        computations.incrementAndGet();
        computed = current;
      }
      return current;
    } finally {
      computing.unlock();
    }
  }

  private boolean stale(Computed current, Instant now, Duration horizon) {
    return current == null || current.at().plus(refresh).isBefore(now) || !current.byHorizon().containsKey(horizon);
  }

  /** Whether a thread is working the outlook out now (tests order threads by it). */
  boolean beingWorkedOut() {
    return computing.isLocked();
  }

  /** How often the outlook has been worked out since the start. */
  long computations() {
    return computations.get();
  }

  /** The next profile computes the outlook afresh, the arrival times learned again (tests; an operator who wants it now). */
  void refreshNow() {
    computing.lock();
    try {
      computed = null;
      learned = null;
      lengths.clear();
    } finally {
      computing.unlock();
    }
  }

  private Computed compute(Instant now) {
    Map<String, Composition> compositions = new HashMap<>();
    for (String intent : composer.intents()) {
      compositionOf(intent).or(() -> likelyBindingOf(intent)).ifPresent(c -> compositions.put(intent, c));
    }
    Learned learnedNow = learned(now);
    NextActionTiming timing = learnedNow.timing();
    Map<String, List<ActivityEvent>> actionsByUser = new LinkedHashMap<>();
    for (ActivityEvent event : activity.since(now.minus(activeWithin), 10_000)) {
      actionsByUser.computeIfAbsent(event.user(), u -> new ArrayList<>()).add(event);
    }
    List<ReservationLedger.Holding> holdings = ledger.holdings();
    Map<String, Double> secondsOf = runningSeconds(holdings);
    Map<Duration, Outlook> byHorizon = new LinkedHashMap<>();
    for (Duration horizon : ResourceProfile.HORIZONS) {
      double h = horizon.toMillis() / 1000.0;
      Map<ResourceKind, Double> intents = new EnumMap<>(ResourceKind.class);
      Map<String, ResourceDemand> intentsByPool = new TreeMap<>();
      Map<String, Double> expectedRequests = new TreeMap<>();
      actionsByUser.forEach((user, actions) -> {
        Arrival arrival = arrivalOf(actions, now, timing, learnedNow.countedByTheRhythm());
        IntentPrediction prediction = predictor.predict(user, composer.intents(), now);
        for (IntentPrediction.RankedIntent ranked : prediction.ranking()) {
          double arrives = arrival.within(0, h);
          expectedRequests.merge(ranked.intent(), ranked.probability() * arrives, Double::sum);
          Composition composition = compositions.get(ranked.intent());
          if (composition == null) {
            continue;
          }
          // running at the horizon: arrived within (h - D, h]
          double runningAtHorizon = arrival.within(Math.max(0, h - composition.seconds()), h);
          double share = ranked.probability() * runningAtHorizon;
          composition.peak().forEach((kind, peak) -> intents.merge(kind, share * peak, Double::sum));
          composition.peakByPool().forEach((pool, peak) -> intentsByPool.merge(pool, peak.times(share),
              ResourceDemand::plus));
        }
      });
      learnedNow.unannounced().ifPresent(profile -> compositions.forEach((intent, composition) -> {
        ArrivalProfile.Expected within = profile.expectedBetween(now, now.plus(horizon)).get(intent);
        if (within != null) {
          expectedRequests.merge(intent, within.sessions(), Double::sum);
        }
        ArrivalProfile.Expected running = profile.expectedStillToCome(now,
            now.plus(horizon).minusMillis((long) (composition.seconds() * 1000)), now.plus(horizon)).get(intent);
        if (running != null) {
          composition.peak().forEach((kind, peak) -> intents.merge(kind, running.sessions() * peak, Double::sum));
          composition.peakByPool().forEach((pool, peak) -> intentsByPool.merge(pool, peak.times(running.sessions()),
              ResourceDemand::plus));
        }
      }));
      Map<ResourceKind, Double> releases = new EnumMap<>(ResourceKind.class);
      Map<String, ResourceDemand> releasesByPool = new TreeMap<>();
      for (ReservationLedger.Holding holding : holdings) {
        Double seconds = secondsOf.get(holding.processInstanceId());
        if (seconds != null && !holding.since().plusMillis((long) (seconds * 1000)).isAfter(now.plus(horizon))) {
          for (ResourceKind kind : ResourceKind.values()) {
            releases.merge(kind, kind.of(holding.demand()), Double::sum);
          }
          holding.byPool().forEach((pool, demand) -> releasesByPool.merge(pool, demand, ResourceDemand::plus));
        }
      }
      byHorizon.put(horizon, new Outlook(new Parts(intents, releases, intentsByPool, releasesByPool), expectedRequests));
    }
    return new Computed(now, byHorizon);
  }

  /** The chance that a user's next request arrives between {@code from} and {@code to} seconds from now. */
  @FunctionalInterface
  private interface Arrival {
    double within(double from, double to);
  }

  /**
   * When the user's next request arrives; only the announced ones when the weekly rhythm expects
   * the others (a request that follows its user's latest one too soon is the rhythm's to count).
   */
  private Arrival arrivalOf(List<ActivityEvent> actions, Instant now, NextActionTiming timing,
      Optional<Announcements> countedByTheRhythm) {
    ActivityEvent latest = actions.stream().max(Comparator.comparing(ActivityEvent::time)).orElseThrow();
    double elapsed = Math.max(0, Duration.between(latest.time(), now).toMillis() / 1000.0);
    Arrival next;
    if (timing.chanceWithin(latest.action(), elapsed, 0, 1).isPresent()) {
      next = (from, to) -> timing.chanceWithin(latest.action(), elapsed, from, to).orElse(0);
    } else {
      double gap = meanGapSeconds(actions);
      next = (from, to) -> Math.exp(-from / gap) - Math.exp(-to / gap);
    }
    return countedByTheRhythm.<Arrival>map(rule -> (from, to) -> rule.chanceAnnounced(elapsed, from, to, next::within))
        .orElse(next);
  }

  private double meanGapSeconds(List<ActivityEvent> actions) {
    if (actions.size() < 2) {
      return activeWithin.toMillis() / 1000.0; // one action seen: as if once per window
    }
    Instant first = actions.stream().map(ActivityEvent::time).min(Instant::compareTo).orElseThrow();
    Instant last = actions.stream().map(ActivityEvent::time).max(Instant::compareTo).orElseThrow();
    double span = Duration.between(first, last).toMillis() / 1000.0;
    return Math.max(MIN_GAP.toSeconds(), span / (actions.size() - 1));
  }

  /** Learned again every {@code RELEARN}: reading weeks of activity is too much for every refresh. */
  private Learned learned(Instant now) {
    Learned current = learned;
    if (current == null || current.at().plus(RELEARN).isBefore(now)) {
      NextActionTiming timing = NextActionTiming.learn(activity.since(now.minus(LEARN_FROM), MAX_LEARNED_EVENTS),
          now.minus(activeWithin), action -> 1);
      List<ActivityEvent> weeks = activity.since(now.minus(Duration.ofDays(7L * PROFILE_WEEKS)), MAX_LEARNED_EVENTS);
      Announcements announcements = new Announcements(soonestLeadTime(), activeWithin);
      current = new Learned(now, timing, unannouncedProfile(weeks, now, announcements), announcements);
      learned = current;
    }
    return current;
  }

  /**
   * The weekly rhythm of what no active user announces, over the whole weeks the activity read
   * spans (up to its newest event read, when there was more than could be read).
   */
  private Optional<ArrivalProfile> unannouncedProfile(List<ActivityEvent> events, Instant now,
      Announcements announcements) {
    if (events.isEmpty()) {
      return Optional.empty();
    }
    Instant until = events.size() < MAX_LEARNED_EVENTS ? now : events.get(events.size() - 1).time();
    int weeks = (int) Math.min(PROFILE_WEEKS, Duration.between(events.get(0).time(), until).toDays() / 7);
    if (weeks < 1) {
      return Optional.empty();
    }
    return Optional.of(ArrivalProfile.learn(ArrivalProfile.unannounced(events, announcements), until, weeks));
  }

  /** The shortest lead time of an elastic pool: an announcement sooner than this buys nothing in time. */
  private Duration soonestLeadTime() {
    return catalog.pools().values().stream().filter(p -> p.elasticity() != null)
        .map(p -> p.elasticity().leadTime()).min(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** The newest deployed composition of an intent: its peak demand per kind and its declared critical path. */
  private Optional<Composition> compositionOf(String intent) {
    ProcessDefinition definition = repository.createProcessDefinitionQuery()
        .processDefinitionKey(ProcessKeys.composed(intent)).latestVersion().singleResult();
    if (definition == null) {
      return Optional.empty();
    }
    return recomposer.workflowOf(definition.getId()).map(PredictedDemandOutlook::compositionOf);
  }

  /**
   * Before an intent has been composed: its template's cheapest binding over the catalog's pools
   * (what the composer runs once capacity has been bought for it), so that the users' predicted
   * requests count from the first one (they counted for nothing until a composition was deployed).
   */
  private Optional<Composition> likelyBindingOf(String intent) {
    return composer.likelyBinding(intent, catalog.pools()).map(PredictedDemandOutlook::compositionOf);
  }

  private static Composition compositionOf(Workflow workflow) {
    Map<ResourceKind, Double> peak = new EnumMap<>(ResourceKind.class);
    Map<String, ResourceDemand> byPool = workflow.peakDemandByPool();
    byPool.values().forEach(demand -> {
      for (ResourceKind kind : ResourceKind.values()) {
        peak.merge(kind, kind.of(demand), Double::sum);
      }
    });
    return new Composition(peak, byPool, workflow.declaredSeconds());
  }

  /**
   * How long each holding instance's workflow takes in all, by its declared durations. Asked of the
   * engine once per holding: every refresh holds mostly the instances of the refresh before, and
   * looking all of them up again read thousands of instances by id on a request thread. A holding
   * that changes its reservation (an instance moved to another version) is a new holding.
   */
  private Map<String, Double> runningSeconds(List<ReservationLedger.Holding> holdings) {
    Set<Held> held = new HashSet<>();
    holdings.forEach(holding -> held.add(new Held(holding.processInstanceId(), holding.since())));
    lengths.keySet().retainAll(held);
    Map<String, Held> unknown = new HashMap<>();
    held.stream().filter(h -> !lengths.containsKey(h)).forEach(h -> unknown.put(h.processInstanceId(), h));
    if (!unknown.isEmpty()) {
      Map<String, Optional<Double>> byDefinition = new HashMap<>();
      for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceIds(unknown.keySet()).list()) {
        Optional<Double> length = byDefinition.computeIfAbsent(instance.getProcessDefinitionId(),
            id -> recomposer.workflowOf(id).map(Workflow::declaredSeconds));
        lengths.put(unknown.get(instance.getId()), length);
      }
    }
    Map<String, Double> seconds = new HashMap<>();
    lengths.forEach((h, length) -> length.ifPresent(value -> seconds.put(h.processInstanceId(), value)));
    return seconds;
  }

  /** An instance's reservation: the instance, from when it holds. */
  private record Held(String processInstanceId, Instant since) {}
}
