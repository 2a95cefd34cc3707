package dev.flowcast.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastApplication;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.adaptive.AdaptiveWatcher;
import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.arrivals.NextActionTiming;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.prediction.IntentTrainer;
import dev.flowcast.prediction.ModelRegistry;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceSampling;
import dev.flowcast.worker.WorkerService;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * Replays a workload once per strategy in one application context of its own: the whole
 * application with the demo domain, on an in-memory database, the web server on an ephemeral port,
 * the job executor, every schedule and the local workers off (the harness moves the engine's clock, runs the
 * jobs and is every pool's worker),
 * the demo components' waits at zero (the clock carries their durations), and the replay's beans:
 * the engine's clock as the application's, the replayed machine as the metrics source, and the
 * strategies in front of the predictor, forecaster and scorer.
 */
public final class Simulation {

  /** A fixed start, so that the same seed gives the same figures. */
  static final Instant REPLAY_EPOCH = Instant.parse("2026-01-05T00:00:00Z");
  /** The engine's time between the end of one replay and the start of the next: none reads another's samples. */
  static final Duration BETWEEN_REPLAYS = Duration.ofDays(1);

  /**
   * What to run.
   *
   * @param ablateWhenMissed whether flowcast's ablations run too when it misses a goal
   * @param elastic how the pools grow and shrink, or null for the catalog's fixed pools
   */
  public record Settings(ReplaySource source, List<Strategy> strategies, long seed, boolean ablateWhenMissed,
      ElasticSetup elastic) {

    /** On the catalog's fixed pools. */
    public Settings(ReplaySource source, List<Strategy> strategies, long seed, boolean ablateWhenMissed) {
      this(source, strategies, seed, ablateWhenMissed, null);
    }

    public Settings {
      if (elastic == null) {
        List<String> elasticOnly = strategies.stream().filter(Strategy::needsElasticPools).map(Strategy::label).toList();
        if (!elasticOnly.isEmpty()) {
          throw new IllegalArgumentException("strategies " + elasticOnly + " need elastic pools");
        }
      }
    }
  }

  /** Told after every request replayed. */
  public interface Progress {
    void replayed(Strategy strategy, int requests, int total);
  }

  private Simulation() {}

  /**
   * The replay's workload as a running application would meet it, for a benchmark that sends it
   * over HTTP: {@code history.ndjson} (the earlier events, as the activity to import: user, action,
   * seconds before the first request) and {@code requests.ndjson} (user, intent, seconds after the
   * first request, the intent's deadline in seconds). A case is one user in both: its earlier events
   * are the session that precedes its requests.
   *
   * @throws IllegalArgumentException naming the file, for a missing or malformed log
   */
  public static Map<String, Object> exportWorkload(ReplaySource source, Path directory) throws IOException {
    Workload workload = Workload.read(source);
    Files.createDirectories(directory);
    ObjectMapper json = new ObjectMapper();
    try (BufferedWriter history = Files.newBufferedWriter(directory.resolve("history.ndjson"));
        BufferedWriter requests = Files.newBufferedWriter(directory.resolve("requests.ndjson"))) {
      for (Workload.Arrival event : workload.history()) {
        history.write(json.writeValueAsString(Map.of("user", userOfCase(event.caseId()), "action", event.intent(),
            "case", event.caseId(), "seconds", event.at().toMillis() / 1000.0)));
        history.newLine();
      }
      for (Workload.Arrival arrival : workload.arrivals()) {
        requests.write(json.writeValueAsString(Map.of("index", arrival.index(), "user", userOfCase(arrival.caseId()),
            "intent", arrival.intent(), "case", arrival.caseId(), "seconds", arrival.at().toMillis() / 1000.0,
            "deadlineSeconds", IntentTable.deadlineOf(arrival.intent()).toSeconds())));
        requests.newLine();
      }
    }
    return workload.description();
  }

  /** A case's user: the engine accepts only letters and digits in a user id. */
  private static String userOfCase(String caseId) {
    return "case" + caseId.replaceAll("[^A-Za-z0-9]", "");
  }

  public static SimulationReport run(Settings settings, Progress progress) {
    Workload workload = Workload.read(settings.source());
    ReplayState state = new ReplayState();
    try (ConfigurableApplicationContext context = start(state)) {
      Replays replays = new Replays(context, state);
      replays.learnFrom(workload.history());
      List<ReplayRun.Outcome> outcomes = new ArrayList<>();
      if (settings.elastic() == null) {
        for (Strategy strategy : settings.strategies()) {
          outcomes.add(replays.run(strategy, workload, settings.seed(), progress));
        }
      } else {
        outcomes.addAll(replays.runElastic(settings.elastic(), settings.strategies(), workload, settings.seed(),
            progress));
      }
      Map<String, Object> replayed = replays.describe(workload, settings.seed());
      if (settings.elastic() != null) {
        replayed.put("leadTimes", settings.elastic().describeLeadTimes());
        replayed.put("warmUp", settings.elastic().warmUp().toString());
        replayed.put("overflow", settings.elastic().overflow());
        replayed.put("scaleInHold", settings.elastic().scaleInHold());
        replayed.put("elasticPools", replays.describeElastic(settings.elastic()));
      }
      SimulationReport report = SimulationReport.of(outcomes, replayed);
      if (settings.elastic() == null && settings.ablateWhenMissed() && !report.goalsMet()
          && settings.strategies().contains(Strategy.FLOWCAST)) {
        for (Strategy ablation : Strategy.ABLATIONS) {
          if (!settings.strategies().contains(ablation)) {
            outcomes.add(replays.run(ablation, workload, settings.seed(), progress));
          }
        }
        report = SimulationReport.of(outcomes, replayed);
      }
      return report;
    } finally {
      EngineClock.reset();
    }
  }

  /**
   * Tries scoring weights on one replay and judges the best on another: a random search over the
   * fit, cost and risk weights (the probability weight moves every candidate of a request alike),
   * the configured weights as the first trial. The best is the cheapest trial with no more SLA
   * misses than the configured weights; it is worth adopting only if it is also cheaper, with no
   * more SLA misses, on the held-back replay (another stretch of the log, another seed).
   */
  public static TuningReport tune(TuningSettings settings, Progress progress) {
    Workload tuning = Workload.read(settings.tuneOn());
    Workload heldBack = Workload.read(settings.judgeOn());
    ReplayState state = new ReplayState();
    try (ConfigurableApplicationContext context = start(state)) {
      Replays replays = new Replays(context, state);
      // what both replays may learn from: the log before the earlier of their windows
      replays.learnFrom(tuning.history().size() < heldBack.history().size() ? tuning.history() : heldBack.history());
      FlowcastProperties.Scoring configured = context.getBean(FlowcastProperties.class).scoring();
      java.util.Random draws = new java.util.Random(settings.seed());
      List<TuningReport.Trial> trials = new ArrayList<>();
      for (int trial = 0; trial < settings.trials(); trial++) {
        FlowcastProperties.Scoring weights = trial == 0 ? configured : new FlowcastProperties.Scoring(
            configured.probabilityWeight(), drawWeight(draws), drawWeight(draws), drawWeight(draws),
            configured.minimum());
        state.weigh(weights);
        trials.add(new TuningReport.Trial(weights,
            SimulationReport.figuresOf(replays.run(Strategy.FLOWCAST, tuning, settings.seed(), progress))));
      }
      TuningReport.Trial best = TuningReport.best(trials);
      state.weigh(configured);
      SimulationReport.Figures configuredHeldBack = SimulationReport.figuresOf(
          replays.run(Strategy.FLOWCAST, heldBack, settings.judgeSeed(), progress));
      state.weigh(best.weights());
      SimulationReport.Figures bestHeldBack = SimulationReport.figuresOf(
          replays.run(Strategy.FLOWCAST, heldBack, settings.judgeSeed(), progress));
      state.weigh(null);
      return new TuningReport(configured, trials, best, configuredHeldBack, bestHeldBack,
          replays.describe(tuning, settings.seed()), replays.describe(heldBack, settings.judgeSeed()));
    } finally {
      EngineClock.reset();
    }
  }

  /** What {@link #tune} tries and where: its trials on one replay, the best judged on another. */
  public record TuningSettings(ReplaySource tuneOn, long seed, ReplaySource judgeOn, long judgeSeed, int trials) {
    public TuningSettings {
      if (trials < 2) {
        throw new IllegalArgumentException("--tune-trials must be at least 2 (the configured weights and one other)");
      }
    }
  }

  /** A weight between 0 and 3, uniform on a square-root scale so small weights are tried as often as large. */
  private static double drawWeight(java.util.Random draws) {
    double root = draws.nextDouble() * Math.sqrt(3);
    return Math.round(root * root * 100) / 100.0;
  }

  /** The replays of one context, each in a stretch of the engine's time of its own. */
  private static final class Replays {
    private final ConfigurableApplicationContext context;
    private final ReplayRun replay;
    private final PriceCatalog catalog;
    /**
     * The first replay starts as every later one does, a day after what came before it: the
     * imported history ends at the epoch, and a replay that began there would find its users
     * active, where no later replay does.
     */
    private Instant start = REPLAY_EPOCH.plus(BETWEEN_REPLAYS);
    private String intentModel = "none";
    private NextActionTiming timing;

    Replays(ConfigurableApplicationContext context, ReplayState state) {
      this.context = context;
      this.replay = new ReplayRun(context.getBean(ProcessEngine.class), context.getBean(Composer.class),
          context.getBean(Recomposer.class), context.getBean(AdaptiveWatcher.class),
          context.getBean(ResourceSampling.class), context.getBean(InterruptionSignals.class),
          context.getBean(PriceCatalog.class), context.getBean(JdbcClient.class), state,
          context.getBean(ReservationLedger.class), context.getBean(IntentPredictor.class),
          context.getBean(WorkerService.class));
      this.catalog = context.getBean(PriceCatalog.class);
      state.poolsHold(catalog.pools().values().stream().map(PricedPool::capacity)
          .reduce(ResourceDemand.NONE, ResourceDemand::plus));
    }

    /**
     * The log's earlier events become the activity a deployed Flowcast would have recorded (users
     * of their own, not the replay's), and the intent model is trained on them by the application's
     * own trainer, as {@code POST /models/intent/train} does: the strategies that predict intents
     * predict with it.
     */
    void learnFrom(List<Workload.Arrival> history) {
      List<ActivityEvent> events = history.stream()
          .map(a -> new ActivityEvent(REPLAY_EPOCH.plus(a.at()), "history" + a.caseId().replaceAll("[^A-Za-z0-9]", ""),
              a.intent(), null, Map.of(), Map.of()))
          .toList();
      context.getBean(ActivityLog.class).append(events, ActivityLog.Source.IMPORT);
      // how a case's requests follow one another, as the log before the window shows
      timing = NextActionTiming.learn(events, REPLAY_EPOCH, action -> 1);
      EngineClock.set(REPLAY_EPOCH);
      try {
        ModelRegistry.StoredModel model = context.getBean(IntentTrainer.class).train(round -> { });
        context.getBean(IntentPredictor.class).reload();
        intentModel = "intent model v" + model.version() + " trained on " + events.size() + " earlier events";
      } catch (IntentTrainer.NotEnoughDataException e) {
        intentModel = "none: " + e.getMessage();
      }
    }

    ReplayRun.Outcome run(Strategy strategy, Workload workload, long seed, Progress progress) {
      int total = workload.arrivals().size();
      ReplayRun.Outcome outcome = replay.run(strategy, workload, seed, start,
          done -> progress.replayed(strategy, done, total));
      startNextReplayAfter(workload);
      return outcome;
    }

    /** The next replay starts {@link #BETWEEN_REPLAYS} after this one's drain limit: none reads another's samples. */
    private void startNextReplayAfter(Workload workload) {
      start = start.plus(workload.lastArrival()).plus(ReplayRun.DRAIN_LIMIT).plus(BETWEEN_REPLAYS);
    }

    /**
     * The strategies on elastic pools. Static pools are sized from a first replay on pools at the
     * catalog's capacity (not reported): the peak and the mean of the demand it measured.
     */
    List<ReplayRun.Outcome> runElastic(ElasticSetup setup, List<Strategy> strategies, Workload workload, long seed,
        Progress progress) {
      List<ReplayRun.Outcome> outcomes = new ArrayList<>();
      Map<String, Integer> peakUnits = null;
      Map<String, Integer> meanUnits = null;
      if (strategies.stream().anyMatch(s -> s.sizing == Strategy.Sizing.PEAK || s.sizing == Strategy.Sizing.MEAN)) {
        Map<String, Integer> most = new LinkedHashMap<>();
        catalog.pools().values().forEach(p -> most.put(p.name(), Integer.MAX_VALUE));
        ReplayRun.Outcome sizing = runOn(Variant.of(Strategy.STATIC_PEAK), workload, seed, progress,
            new ReplayRun.Elastic(setup.elasticities(catalog.pools(), most), timing, setup.warmUp(), setup.overflow(),
                setup.scaleInHold()));
        peakUnits = units(sizing.elastic().peakDemandVcpu());
        meanUnits = units(sizing.elastic().meanDemandVcpu());
      }
      for (Variant variant : setup.variants(strategies)) {
        Map<String, Integer> fixed = switch (variant.strategy().sizing) {
          case PEAK -> peakUnits;
          case MEAN -> meanUnits;
          default -> Map.of();
        };
        outcomes.add(runOn(variant, workload, seed, progress,
            new ReplayRun.Elastic(setup.elasticities(catalog.pools(), fixed), timing, setup.warmUp(), setup.overflow(),
                setup.scaleInHold())));
      }
      return outcomes;
    }

    private static Map<String, Integer> units(Map<String, Double> vcpu) {
      Map<String, Integer> units = new LinkedHashMap<>();
      vcpu.forEach((pool, demand) -> units.put(pool, (int) Math.ceil(demand / ElasticSetup.UNIT_VCPU - 1e-9)));
      return units;
    }

    private ReplayRun.Outcome runOn(Variant variant, Workload workload, long seed, Progress progress,
        ReplayRun.Elastic pools) {
      int total = workload.arrivals().size();
      ReplayRun.Outcome outcome = replay.run(variant, workload, seed, start,
          done -> progress.replayed(variant.strategy(), done, total), pools);
      startNextReplayAfter(workload);
      return outcome;
    }

    /** The elastic pools as the catalog's capacity and the lead times make them. */
    Map<String, Object> describeElastic(ElasticSetup setup) {
      Map<String, Object> described = new LinkedHashMap<>();
      setup.elasticities(catalog.pools(), Map.of()).forEach((pool, e) -> described.put(pool, Map.of(
          "unitVcpu", e.unit().vcpu(), "minUnits", e.minUnits(), "maxUnits", e.maxUnits(),
          "leadTime", e.leadTime().toString(), "leadTimeJitter", e.leadTimeJitter().toString(),
          "billingMinimum", e.billingMinimum().toString(), "refusalRate", e.refusalRate())));
      return described;
    }

    Map<String, Object> describe(Workload workload, long seed) {
      Map<String, Object> replayed = new LinkedHashMap<>(workload.description());
      replayed.put("seed", seed);
      replayed.put("intentModel", intentModel);
      replayed.put("currency", catalog.current().currency());
      replayed.put("onDemandVcpu", catalog.pools().containsKey("on-demand")
          ? catalog.pools().get("on-demand").capacity().vcpu() : 0);
      return replayed;
    }
  }

  private static ConfigurableApplicationContext start(ReplayState state) {
    return new SpringApplicationBuilder(FlowcastApplication.class)
        .profiles("demo")
        .initializers(context -> {
          context.getBeanFactory().registerSingleton("replayClock", EngineClock.asClock());
          context.getBeanFactory().registerSingleton("replayedMachine", new ReplayedMachine(state));
          context.getBeanFactory().addBeanPostProcessor(new StrategyBeans(state,
              context.getEnvironment().getProperty("flowcast.resources.upper-quantile-z", Double.class, 1.645)));
          context.addBeanFactoryPostProcessor(withoutSchedules());
        })
        .run(replaySettings());
  }

  /** The replay's settings, as arguments rather than default properties: those yield to every profile's file. */
  private static String[] replaySettings() {
    return new String[] {
        "--server.port=0",
        "--spring.main.banner-mode=off",
        "--spring.main.log-startup-info=false",
        "--logging.level.root=ERROR",
        "--spring.datasource.url=jdbc:h2:mem:flowcast-replay-" + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=256",
        "--camunda.bpm.job-execution.enabled=false",
        "--flowcast.demo.time-scale=0",
        "--flowcast.demo.seed-orders=300",
        "--flowcast.proactive.enabled=false",
        // the replay is every pool's worker, on its own clock, and sizes elastic pools itself
        "--flowcast.workers.local.per-pool=0",
        "--flowcast.capacity.provider=fixed",
        // the engine's REST API and webapps keep JVM-wide state that a closing application changes for
        // any other in the same JVM (a test suite's): an engine name of its own, and no webapps
        "--camunda.bpm.generate-unique-process-engine-name=true",
        "--camunda.bpm.webapp.enabled=false"};
  }

  /** The harness drives time: nothing may run on the wall clock's schedule. */
  private static BeanFactoryPostProcessor withoutSchedules() {
    return beanFactory -> {
      if (beanFactory instanceof BeanDefinitionRegistry registry
          && registry.containsBeanDefinition(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)) {
        registry.removeBeanDefinition(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME);
      }
    };
  }
}
