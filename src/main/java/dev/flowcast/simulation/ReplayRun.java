package dev.flowcast.simulation;

import dev.flowcast.adaptive.AdaptiveWatcher;
import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.arrivals.NextActionTiming;
import dev.flowcast.capacity.CapacityPlanner;
import dev.flowcast.capacity.Overflow;
import dev.flowcast.capacity.PredictivePlanner;
import dev.flowcast.capacity.ReactivePlanner;
import dev.flowcast.capacity.ScaleInHold;
import dev.flowcast.capacity.SpillToOtherPools;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceSampling;
import dev.flowcast.worker.WorkerService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One strategy on the replay: a discrete-event loop over the engine's clock. It starts each
 * request through the real composer at its arrival, executes the engine's jobs itself (the job
 * executor is off) and is the workers of every pool (no worker process runs: a worker's real time
 * would not follow the replay's clock), lets a component's work (its job, or its external task)
 * finish only when the capacity model says its run is over, samples the replayed machine, runs the
 * adaptive check on its interval, and interrupts spot pools when the seed says so.
 */
final class ReplayRun {

  private static final Logger log = LoggerFactory.getLogger(ReplayRun.class);

  static final String REQUEST_VARIABLE = "replayRequest";
  static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);
  static final Duration RECLAIM = Duration.ofMinutes(2);
  static final Duration DRAIN_LIMIT = Duration.ofHours(2);
  static final Duration TIMELINE_STEP = Duration.ofMinutes(1);
  /** The demo group whose members may compose every intent. */
  private static final String REPLAY_GROUP = "operators";
  private static final int MAX_PUMP_ROUNDS = 10_000;
  /** The replay's worker of a pool: one, with more slots than a replay ever fills. */
  private static final String WORKER_PREFIX = "replay-worker-";
  /** A replayed request's user: this, the run and the case. */
  private static final String REPLAY_USER_PREFIX = "replay";
  private static final int WORKER_SLOTS = 256;
  /** Longer than any replay runs on its clock: the replay's workers never lose a lock. */
  private static final long LOCK_MILLIS = Duration.ofDays(30).toMillis();

  private final ProcessEngine engine;
  private final Composer composer;
  private final Recomposer recomposer;
  private final AdaptiveWatcher watcher;
  private final ResourceSampling sampling;
  private final InterruptionSignals signals;
  private final PriceCatalog catalog;
  private final JdbcClient jdbc;
  private final ReplayState state;
  private final ReservationLedger ledger;
  private final IntentPredictor predictor;
  private final WorkerService workers;
  private final Map<String, Optional<Workflow>> workflows = new HashMap<>();
  private final Set<String> users = new HashSet<>();
  private final Set<String> registeredWorkers = new HashSet<>();
  private int runs;

  ReplayRun(ProcessEngine engine, Composer composer, Recomposer recomposer, AdaptiveWatcher watcher,
      ResourceSampling sampling, InterruptionSignals signals, PriceCatalog catalog, JdbcClient jdbc,
      ReplayState state, ReservationLedger ledger, IntentPredictor predictor, WorkerService workers) {
    this.workers = workers;
    this.ledger = ledger;
    this.predictor = predictor;
    this.engine = engine;
    this.composer = composer;
    this.recomposer = recomposer;
    this.watcher = watcher;
    this.sampling = sampling;
    this.signals = signals;
    this.catalog = catalog;
    this.jdbc = jdbc;
    this.state = state;
  }

  /** What one strategy did, per request and over time; {@code elastic} null on the catalog's fixed pools. */
  record Outcome(Strategy strategy, String label, List<RequestOutcome> requests, double cost, int switches,
      int interruptions, int failedJobs, Map<String, Integer> compositions, List<TimelinePoint> timeline,
      ElasticFigures elastic) {}

  /**
   * What elastic pools did in one replay.
   *
   * @param scalings the planner's requests for another size
   * @param refused those the pool refused (spot without capacity)
   * @param unitSeconds per pool, the unit-seconds paid (billing minimum included)
   * @param peakDemandVcpu per pool, the highest demand measured (held and queued vCPU)
   * @param meanDemandVcpu per pool, the mean demand measured
   * @param missCauses the SLA misses counted by why they missed ({@link MissCauses})
   * @param misses every SLA miss with its cause and the figures it was found from
   */
  public record ElasticFigures(int scalings, int refused, Map<String, Double> unitSeconds,
      Map<String, Double> peakDemandVcpu, Map<String, Double> meanDemandVcpu, Map<String, Integer> missCauses,
      List<MissCauses.Miss> misses) {}

  /**
   * Elastic pools for one replay: their elasticities (a pool at a fixed size has as many units at
   * least as at most) and how sessions' next requests follow one another (learned from the log
   * before the window), and what the predictive planner does with demand a pool cannot hold
   * ({@link ElasticSetup#overflow()}) and over how long it remembers the units it wanted
   * ({@link ElasticSetup#scaleInHold()}).
   */
  record Elastic(Map<String, Elasticity> elasticities, NextActionTiming timing, Duration warmUp, String overflow,
      String scaleInHold) {}

  /**
   * One request: when it arrived, started running and completed (null if it never did), and the
   * pools of the workflow it ran (none if it never started).
   */
  record RequestOutcome(int index, String intent, Duration arrival, Duration started, Duration completed,
      Set<String> pools) {}

  /**
   * The pools at one moment: background share, vCPU in use per pool, switches so far, and the vCPU
   * ready in each pool (elastic pools only).
   */
  record TimelinePoint(double minute, double backgroundShare, Map<String, Double> usedVcpu, int switches,
      Map<String, Double> readyVcpu) {}

  Outcome run(Strategy strategy, Workload workload, long seed, Instant start, IntConsumer progress) {
    return run(Variant.of(strategy), workload, seed, start, progress, null);
  }

  /** @param pools the elastic pools, or null for the catalog's fixed ones */
  Outcome run(Variant variant, Workload workload, long seed, Instant start, IntConsumer progress, Elastic pools) {
    Strategy strategy = variant.strategy();
    // each run's requests and users are its own, even when a strategy runs again (tuning)
    int run = ++runs;
    ElasticReplay elastic = pools == null || !strategy.runsOnElasticPools() ? null
        : elasticReplay(variant, workload, seed, start, pools);
    // requests arrive after the warm-up: a deployed planner has been running before any window begins
    Instant origin = elastic == null ? start : start.plus(pools.warmUp());
    // the log's events before the window are the users' activity: those before the replay starts
    // are known at once, those within the warm-up as they happen
    Deque<Workload.Arrival> activity = new ArrayDeque<>();
    if (elastic != null) {
      for (Workload.Arrival earlier : workload.history()) {
        Instant at = origin.plus(earlier.at());
        if (at.isAfter(start)) {
          activity.addLast(earlier);
        } else if (at.isAfter(start.minus(ElasticReplay.ACTIVE_WITHIN))) {
          elastic.arrived(userIdFor(run, earlier.caseId()), earlier.intent(), at);
        }
      }
    }
    state.begin(strategy, start, workload.background(), elastic == null);
    EngineClock.set(start);
    jdbc.sql("delete from flowcast_step").update();
    // the activity earlier replays recorded (their users' composed requests) is gone, as if each
    // replay ran in an application of its own: over a run's days it would add up to weeks, and
    // what the outlook reads of the users' activity would depend on the replay's place in the run
    jdbc.sql("delete from flowcast_activity where user_id like ?").param(REPLAY_USER_PREFIX + "%").update();
    CapacityModel capacity = new CapacityModel(catalog.pools(), state, seed);
    if (elastic != null) {
      capacity.sizedBy(elastic.pools());
      elastic.publish(start);
    }
    Instant nextTick = start;
    Instant end = origin.plus(workload.lastArrival()).plus(DRAIN_LIMIT);
    Deque<CapacityModel.Interruption> interruptions = new ArrayDeque<>(
        CapacityModel.interruptions(catalog.pools(), seed, start, Duration.between(start, end)));
    Map<String, Integer> compositions = new TreeMap<>();
    List<TimelinePoint> timeline = new ArrayList<>();
    Counters counters = new Counters();
    int nextArrival = 0;
    Instant now = start;
    Instant nextSample = start;
    Instant nextCheck = start.plus(CHECK_INTERVAL);
    Instant nextPoint = start;
    List<Workload.Arrival> arrivals = workload.arrivals();
    while (true) {
      // everything due at this moment, in a fixed order
      finishRuns(capacity, now, counters);
      while (!interruptions.isEmpty() && !interruptions.peekFirst().at().isAfter(now)) {
        String pool = interruptions.removeFirst().pool();
        interrupt(capacity, pool, now);
        if (elastic != null) {
          elastic.pools().interrupt(pool, now, RECLAIM);
        }
      }
      if (elastic != null) {
        if (!nextTick.isAfter(now)) {
          elastic.tick(now);
          nextTick = nextTick.plus(ElasticReplay.TICK);
        }
        elastic.publish(now);
      }
      if (!nextSample.isAfter(now)) {
        sampling.sampleNow();
        if (elastic != null) {
          elastic.measure(now);
        }
        nextSample = nextSample.plus(SAMPLE_INTERVAL);
      }
      if (strategy.adaptive && !nextCheck.isAfter(now)) {
        pump(capacity, now, counters);
        counters.switches += (int) watcher.check().stream()
            .filter(d -> d.kind() == Decision.Kind.SWITCH)
            .filter(d -> d.status().equals("MIGRATED") || d.status().equals("RESTARTED")).count();
        nextCheck = nextCheck.plus(CHECK_INTERVAL);
      }
      while (!activity.isEmpty() && !origin.plus(activity.peekFirst().at()).isAfter(now)) {
        Workload.Arrival earlier = activity.removeFirst();
        elastic.arrived(userIdFor(run, earlier.caseId()), earlier.intent(), origin.plus(earlier.at()));
      }
      while (nextArrival < arrivals.size() && !origin.plus(arrivals.get(nextArrival).at()).isAfter(now)) {
        compose(run, arrivals.get(nextArrival), compositions, elastic, now);
        nextArrival++;
        progress.accept(nextArrival);
      }
      pump(capacity, now, counters);
      if (!nextPoint.isAfter(now)) {
        timeline.add(point(capacity, origin, now, counters.switches, elastic));
        nextPoint = nextPoint.plus(TIMELINE_STEP);
      }
      if (nextArrival == arrivals.size() && capacity.running().isEmpty() && activeInstances() == 0) {
        break;
      }
      Instant next = earliest(
          nextArrival < arrivals.size() ? origin.plus(arrivals.get(nextArrival).at()) : null,
          activity.isEmpty() ? null : origin.plus(activity.peekFirst().at()),
          capacity.running().values().stream().map(CapacityModel.Run::until).min(Comparator.naturalOrder()).orElse(null),
          nextSample,
          strategy.adaptive ? nextCheck : null,
          interruptions.isEmpty() ? null : interruptions.peekFirst().at(),
          nextDueJob(now),
          elastic == null ? null : nextTick,
          elastic == null ? null : elastic.nextChange(now));
      if (next.isAfter(end)) {
        log.warn("FLOWCAST-100 replay of {} stopped at its drain limit with {} instances still active",
            strategy.label(), activeInstances());
        break;
      }
      now = next;
      EngineClock.set(now);
    }
    List<RequestOutcome> outcomes = outcomes(run, workload, origin);
    for (CapacityModel.Run unfinished : List.copyOf(capacity.running().values())) {
      capacity.stop(unfinished.jobId(), now);
    }
    cleanUp();
    double cost = capacity.cost();
    ElasticFigures figures = null;
    if (elastic != null) {
      cost = elastic.pools().cost(now);
      List<MissCauses.Miss> misses = MissCauses.of(outcomes, origin, elastic.pools().history(), elastic::expected);
      figures = new ElasticFigures(elastic.scalings(), elastic.pools().refusals(), elastic.pools().unitSeconds(now),
          elastic.peakDemand(), elastic.meanDemand(), MissCauses.counted(misses), misses);
      elastic.restore();
    }
    return new Outcome(strategy, variant.label(), outcomes, cost, counters.switches, capacity.interrupted(),
        counters.failedJobs, compositions, timeline, figures);
  }

  private ElasticReplay elasticReplay(Variant variant, Workload workload, long seed, Instant start, Elastic pools) {
    Strategy.Sizing sizing = variant.strategy().sizing;
    CapacityPlanner planner = switch (sizing) {
      case REACTIVE -> new ReactivePlanner(variant.targetUtilization(), variant.cooldown());
      case SERIES, INTENTS, PREDICTED, FORESEEN -> new PredictivePlanner(variant.targetUtilization(),
          pools.overflow().equals(SpillToOtherPools.NAME)
              ? new SpillToOtherPools(pool -> catalog.pools().get(pool).pricePerVcpuHour()) : Overflow.NONE,
          ScaleInHold.named(pools.scaleInHold()));
      default -> null;
    };
    ElasticReplay.Inputs inputs = switch (sizing) {
      case SERIES -> ElasticReplay.Inputs.SERIES;
      case INTENTS -> ElasticReplay.Inputs.INTENTS_AND_SERIES;
      case PREDICTED -> ElasticReplay.Inputs.FORECAST;
      case FORESEEN -> ElasticReplay.Inputs.ORACLE;
      default -> ElasticReplay.Inputs.NOW;
    };
    Map<String, Integer> initial = new HashMap<>();
    pools.elasticities().forEach((pool, elasticity) -> initial.put(pool, elasticity.minUnits()));
    ElasticPools provider = new ElasticPools(pools.elasticities(), catalog.pools(), initial, start, seed);
    return new ElasticReplay(provider, planner, inputs, catalog, ledger, engine.getRuntimeService(), predictor,
        composer.intents(), pools.timing(), workload, start.plus(pools.warmUp()),
        intent -> composer.likelyBinding(intent, catalog.pools()),
        id -> workflows.computeIfAbsent(id, recomposer::workflowOf));
  }

  private static final class Counters {
    int switches;
    int failedJobs;
  }

  private static Instant earliest(Instant... candidates) {
    Instant best = null;
    for (Instant candidate : candidates) {
      if (candidate != null && (best == null || candidate.isBefore(best))) {
        best = candidate;
      }
    }
    return best;
  }

  private void compose(int run, Workload.Arrival arrival, Map<String, Integer> compositions, ElasticReplay elastic,
      Instant now) {
    String user = userFor(run, arrival.caseId());
    state.asks(user, arrival.intent());
    try {
      CompositionResult result = composer.compose(new CompositionRequest(user, arrival.intent(),
          Map.of(REQUEST_VARIABLE, requestKey(run, arrival.index())), null, CompositionRequest.Origin.REQUEST));
      compositions.merge(result.status().name(), 1, Integer::sum);
      if (elastic != null) {
        elastic.arrived(user, arrival.intent(), now);
        if (result.chosen() != null) {
          elastic.composed(arrival.intent(), result.chosen().workflow());
        }
      }
    } catch (RuntimeException e) {
      compositions.merge("FAILED", 1, Integer::sum);
      log.warn("FLOWCAST-101 request {} of the replay could not be composed: {}", arrival.index(), e.getMessage());
    }
  }

  private static String requestKey(int run, int index) {
    return run + "/" + index;
  }

  private static String userIdFor(int run, String caseId) {
    // the engine accepts only letters and digits in a user id
    return REPLAY_USER_PREFIX + run + "case" + caseId.replaceAll("[^A-Za-z0-9]", "");
  }

  /** A user per case and run, so no run's predictions read another's history. */
  private String userFor(int run, String caseId) {
    String id = userIdFor(run, caseId);
    if (users.add(id)) {
      IdentityService identity = engine.getIdentityService();
      if (identity.createUserQuery().userId(id).count() == 0) {
        User user = identity.newUser(id);
        user.setFirstName("Replayed case " + caseId);
        identity.saveUser(user);
        identity.createMembership(id, REPLAY_GROUP);
      }
    }
    return id;
  }

  /** Executes every job that is due and is not a component's work, until none is left; plans the work. */
  private void pump(CapacityModel capacity, Instant now, Counters counters) {
    ManagementService management = engine.getManagementService();
    for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
      List<Job> due = management.createJobQuery().executable().orderByJobId().asc().list();
      Set<String> present = new HashSet<>();
      boolean executed = false;
      for (Job job : due) {
        present.add(job.getId());
        if (capacity.running().containsKey(job.getId())) {
          continue;
        }
        if (isWork(job)) {
          plan(capacity, job.getId(), job.getProcessInstanceId(), job.getProcessDefinitionKey(), now);
        } else {
          execute(job, counters);
          executed = true;
        }
      }
      ExternalTaskService externalTasks = engine.getExternalTaskService();
      for (ExternalTask task : externalTasks.createExternalTaskQuery().notLocked().list()) {
        present.add(task.getId());
        if (isWork(task.getProcessDefinitionKey()) && !capacity.running().containsKey(task.getId())) {
          externalTasks.lock(task.getId(), workerOf(task), LOCK_MILLIS);
          plan(capacity, task.getId(), task.getProcessInstanceId(), task.getProcessDefinitionKey(), now);
        }
      }
      // a planned run whose job or task is gone was cancelled (a restart on the alternative): paid until now
      for (String runId : List.copyOf(capacity.running().keySet())) {
        if (!present.contains(runId) && management.createJobQuery().jobId(runId).count() == 0
            && externalTasks.createExternalTaskQuery().externalTaskId(runId).count() == 0) {
          capacity.stop(runId, now);
        }
      }
      if (!executed) {
        return;
      }
    }
    throw new IllegalStateException("jobs keep appearing at " + now + ": more than " + MAX_PUMP_ROUNDS + " rounds");
  }

  private void execute(Job job, Counters counters) {
    try {
      engine.getManagementService().executeJob(job.getId());
    } catch (RuntimeException e) {
      counters.failedJobs++;
      log.warn("FLOWCAST-102 job {} of {} failed in the replay: {}", job.getId(), job.getProcessDefinitionKey(),
          e.getMessage());
    }
  }

  /** Whether instances of this definition are a component's work (its job, or its external task). */
  private static boolean isWork(String processDefinitionKey) {
    return processDefinitionKey != null && processDefinitionKey.startsWith(ProcessKeys.COMPONENT_PREFIX);
  }

  /**
   * A component's work: the job that starts it. A timer in a component (the demo's simulated wait,
   * which the plan's declared duration already stands for) is not work: it runs when due.
   */
  private static boolean isWork(Job job) {
    return isWork(job.getProcessDefinitionKey()) && job.getDuedate() == null;
  }

  /** The replay's worker for an external task's pool (the pool its topic names), registered on first use. */
  private String workerOf(ExternalTask task) {
    String topic = task.getTopicName();
    String pool = topic.substring(topic.indexOf('@') + 1);
    String id = WORKER_PREFIX + pool;
    if (registeredWorkers.add(id)) {
      workers.register(id, pool, WORKER_SLOTS, "replay");
    }
    return id;
  }

  /**
   * A component's work begins (its job, or its external task, is {@code runId}): where it runs and
   * what it holds come from the step that called it.
   */
  private void plan(CapacityModel capacity, String runId, String componentInstanceId, String processDefinitionKey,
      Instant now) {
    String component = processDefinitionKey.substring(ProcessKeys.COMPONENT_PREFIX.length());
    RuntimeService runtime = engine.getRuntimeService();
    ProcessInstance caller = runtime.createProcessInstanceQuery().subProcessInstanceId(componentInstanceId)
        .singleResult();
    Optional<Task> task = caller == null ? Optional.empty()
        : workflows.computeIfAbsent(caller.getProcessDefinitionId(), recomposer::workflowOf)
            .flatMap(w -> w.tasks().stream().filter(t -> t.component().name().equals(component)).findFirst());
    if (task.isEmpty()) {
      // not called by a composed workflow: nothing to pay or slow down, it finishes now
      capacity.start(runId, runId, component, "none", dev.flowcast.resources.ResourceDemand.NONE,
          Duration.ZERO, now, Duration.ZERO);
      return;
    }
    Task step = task.get();
    InterruptionSignals.Notice notice = signals.active(now).get(step.pool());
    Duration delay = notice == null ? Duration.ZERO : Duration.between(now, notice.until());
    // the request's step, whichever binding runs it: the request's index, not the strategy's label
    String draw = runtime.getVariable(caller.getId(), REQUEST_VARIABLE) instanceof String key
        ? key.substring(key.indexOf('/') + 1) + "/" + step.stepId() : runId;
    capacity.start(runId, draw, component, step.pool(), step.requirements(), step.component().expectedDuration(),
        now, delay);
  }

  private void finishRuns(CapacityModel capacity, Instant now, Counters counters) {
    List<CapacityModel.Run> over = capacity.running().values().stream()
        .filter(r -> !r.until().isAfter(now))
        .sorted(Comparator.comparing(CapacityModel.Run::until).thenComparing(CapacityModel.Run::jobId)).toList();
    ManagementService management = engine.getManagementService();
    ExternalTaskService externalTasks = engine.getExternalTaskService();
    for (CapacityModel.Run run : over) {
      capacity.stop(run.jobId(), now);
      Job job = management.createJobQuery().jobId(run.jobId()).singleResult();
      if (job != null) {
        execute(job, counters);
        continue;
      }
      ExternalTask task = externalTasks.createExternalTaskQuery().externalTaskId(run.jobId()).singleResult();
      if (task != null) {
        complete(task, counters);
      }
    }
  }

  /** The replay's worker does the step's work as a worker would, and completes its task. */
  private void complete(ExternalTask task, Counters counters) {
    try {
      WorkerService.RunStart start = workers.start(task.getWorkerId(), task.getId());
      engine.getExternalTaskService().complete(task.getId(), task.getWorkerId(), start.outputs());
      workers.completed(task.getId(), task.getWorkerId());
    } catch (RuntimeException e) {
      counters.failedJobs++;
      engine.getExternalTaskService().handleFailure(task.getId(), task.getWorkerId(), e.getMessage(), 0, 0);
      log.warn("FLOWCAST-102 task {} of {} failed in the replay: {}", task.getId(), task.getProcessDefinitionKey(),
          e.getMessage());
    }
  }

  /** Spot capacity taken back: the notice goes up (the composer and watcher see it), work in it starts over. */
  private void interrupt(CapacityModel capacity, String pool, Instant now) {
    signals.raise(pool, RECLAIM, "simulated interruption", now);
    for (CapacityModel.Run lost : capacity.interrupt(pool, now, RECLAIM)) {
      capacity.stop(lost.jobId(), now);
      capacity.start(lost.jobId(), lost.draw(), lost.component(), lost.pool(), lost.demand(), lost.declared(), now,
          RECLAIM);
    }
  }

  private Instant nextDueJob(Instant now) {
    List<Job> next = engine.getManagementService().createJobQuery().duedateHigherThan(Date.from(now))
        .orderByJobDuedate().asc().listPage(0, 1);
    return next.isEmpty() ? null : next.get(0).getDuedate().toInstant();
  }

  private long activeInstances() {
    return engine.getRuntimeService().createProcessInstanceQuery().rootProcessInstances().count();
  }

  private TimelinePoint point(CapacityModel capacity, Instant origin, Instant now, int switches, ElasticReplay elastic) {
    Map<String, Double> used = new TreeMap<>();
    Map<String, Double> ready = new TreeMap<>();
    for (String pool : catalog.pools().keySet()) {
      used.put(pool, capacity.usedVcpu(pool));
      if (elastic != null) {
        ready.put(pool, elastic.pools().readyCapacity(pool, now).vcpu());
      }
    }
    return new TimelinePoint(Duration.between(origin, now).toMillis() / 60_000.0, state.backgroundShareAt(now), used,
        switches, ready);
  }

  private List<RequestOutcome> outcomes(int run, Workload workload, Instant origin) {
    HistoryService history = engine.getHistoryService();
    String prefix = run + "/";
    Map<String, Integer> requestOf = new HashMap<>();
    for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery()
        .variableName(REQUEST_VARIABLE).list()) {
      if (variable.getValue() instanceof String key && key.startsWith(prefix)) {
        requestOf.put(variable.getProcessInstanceId(), Integer.parseInt(key.substring(prefix.length())));
      }
    }
    Map<Integer, HistoricProcessInstance> ran = new HashMap<>();
    List<String> ids = List.copyOf(requestOf.keySet());
    for (int from = 0; from < ids.size(); from += 500) {
      Set<String> chunk = new HashSet<>(ids.subList(from, Math.min(ids.size(), from + 500)));
      for (HistoricProcessInstance instance : history.createHistoricProcessInstanceQuery()
          .processInstanceIds(chunk).list()) {
        if (ProcessKeys.isComposed(instance.getProcessDefinitionKey())) {
          ran.merge(requestOf.get(instance.getId()), instance,
              (a, b) -> a.getStartTime().before(b.getStartTime()) ? a : b);
        }
      }
    }
    List<RequestOutcome> outcomes = new ArrayList<>();
    for (Workload.Arrival arrival : workload.arrivals()) {
      HistoricProcessInstance instance = ran.get(arrival.index());
      Duration started = instance == null ? null : Duration.between(origin, instance.getStartTime().toInstant());
      Duration completed = instance == null || instance.getEndTime() == null
          || !"COMPLETED".equals(instance.getState()) ? null
          : Duration.between(origin, instance.getEndTime().toInstant());
      Set<String> pools = instance == null ? Set.of()
          : workflows.computeIfAbsent(instance.getProcessDefinitionId(), recomposer::workflowOf)
              .map(w -> w.peakDemandByPool().keySet()).orElse(Set.of());
      outcomes.add(new RequestOutcome(arrival.index(), arrival.intent(), arrival.at(), started, completed,
          Set.copyOf(pools)));
    }
    return outcomes;
  }

  /** Nothing of this strategy is left for the next: instances, notices. */
  private void cleanUp() {
    RuntimeService runtime = engine.getRuntimeService();
    for (ProcessInstance instance : runtime.createProcessInstanceQuery().rootProcessInstances().list()) {
      runtime.deleteProcessInstance(instance.getId(), "end of the replay");
    }
    for (String pool : catalog.pools().keySet()) {
      signals.clear(pool);
    }
  }
}
