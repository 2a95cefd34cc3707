package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.InProcessWorkers;
import dev.flowcast.adaptive.AdaptiveWatcher;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.demo.DemoFaults;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ResourceSample;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo's work on real worker processes: two pools (spot, on-demand) with two worker JVMs each,
 * started by the {@code local-workers} provider, serving the application over its REST APIs, with
 * the job executor on and the demo's durations shortened. Every step runs on a worker of the pool
 * it is bound to; a worker killed with SIGKILL loses nothing and no step's work is done twice; a
 * slow external step is restarted on its alternative and the old worker's completion is refused.
 */
@SpringBootTest(classes = dev.flowcast.FlowcastApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "camunda.bpm.job-execution.enabled=true",
        "flowcast.demo.time-scale=0.05",
        "flowcast.workers.local.lock=PT5S",
        "flowcast.workers.stale-after=PT6S",
        "flowcast.workers.local.slots=3",
        "flowcast.workers.local.heap-mb=64",
        "flowcast.queue.retry-interval=PT1S"})
@ActiveProfiles({"demo", "test"})
@Import({WorkerPoolsTest.LargeMachine.class, InProcessWorkers.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerPoolsTest {

  /** A machine large enough that most of the load starts at once (the rest queues and retries each second). */
  @TestConfiguration(proxyBeanMethods = false)
  static class LargeMachine {
    @Bean
    MetricsSource largeMachineMetrics(Clock clock) {
      return new MetricsSource() {
        @Override
        public ResourceSample sample() {
          return new ResourceSample(clock.instant(), 128, 12.8, 524_288, 52_428.8, 1000, 1e5, 1e5, 3000, 1e5, 1e5, 30, 30);
        }

        @Override
        public String name() {
          return "large-machine";
        }
      };
    }
  }

  static final List<String> POOLS = List.of("spot", "on-demand");
  static final Duration PATIENCE = Duration.ofMinutes(4);
  /**
   * Instances end at the speed of the machine: on 2 cores shared with another build, 50 requests'
   * steps took longer than {@link #PATIENCE}. Waiting for them lasts while instances keep ending, and
   * fails when none has ended for this long (a lost step).
   */
  static final Duration STALL = Duration.ofMinutes(3);
  /** A bound on that wait, so that a run that crawls still ends. */
  static final Duration AT_MOST = Duration.ofMinutes(15);

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired LocalWorkersCapacityProvider provider;
  @Autowired WorkerRegistry registry;
  @Autowired StepRuns runs;
  @Autowired JdbcClient jdbc;
  @Autowired DemoFaults faults;
  @Autowired AdaptiveWatcher watcher;
  @Autowired DecisionLog decisions;
  @Autowired ServletContext servletContext;
  @Autowired TransactionTemplate transaction;

  EngineFixture fixture;

  @BeforeAll
  void startTwoWorkersPerPool() throws ReflectiveOperationException {
    LongPolling.answeredIn(servletContext);
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.setAllPoolCapacities(10_000, 10_000_000);
    // no worker serves reserved here: nothing is bound to it
    PricedPool reserved = catalog.pools().get("reserved");
    fixture.setPool(new PricedPool("reserved", new ResourceDemand(0, 0, 0, 0), reserved.pricePerVcpuHour(),
        reserved.pricePerGbHour(), reserved.interruptionRatePerHour()));
    POOLS.forEach(pool -> provider.requestTarget(pool, 2, Instant.now()));
    await("two live workers in each pool", () -> POOLS.stream().allMatch(p -> registry.pool(p).liveWorkers() == 2));
  }

  @AfterAll
  void stopWorkers() {
    provider.stopAll();
    engine.getRuntimeService().createProcessInstanceQuery().rootProcessInstances().list().forEach(instance -> {
      try {
        engine.getRuntimeService().deleteProcessInstance(instance.getId(), "test cleanup");
      } catch (RuntimeException endedMeanwhile) {
        // ended between the query and the delete
      }
    });
    fixture.resetPools();
  }

  @BeforeEach
  void eachPoolHasTwoLiveWorkers() {
    POOLS.forEach(pool -> provider.requestTarget(pool, 2, Instant.now()));
    await("two live workers in each pool", () -> POOLS.stream().allMatch(p -> registry.pool(p).liveWorkers() == 2));
  }

  @Test
  @Order(1)
  void shouldRunEveryStepOnAWorkerOfThePoolItIsBoundTo() throws Exception {
    List<String> instances = composeConcurrently(50);

    awaitEnded(instances);

    List<Map<String, Object>> steps = externalSteps(instances);
    assertThat(steps).as("external steps of 50 requests").hasSizeGreaterThanOrEqualTo(50);
    for (Map<String, Object> step : steps) {
      String worker = (String) step.get("completed_by");
      assertThat(worker).as("the worker that completed %s", step).isNotNull();
      assertThat(registry.find(worker).pool()).as("the pool of the worker that ran %s", step).isEqualTo(step.get("bound_pool"));
    }
    assertThat(steps).extracting(s -> s.get("bound_pool")).contains("spot", "on-demand");
    // the decision log says which worker did each step
    for (String instance : instances.subList(0, 5)) {
      Map<String, Object> workerOfStep = new java.util.HashMap<>();
      decisions.find(new DecisionQuery(null, instance, 50)).stream().filter(d -> d.kind() == Decision.Kind.STEP)
          .filter(d -> d.details().containsKey("worker"))
          .forEach(d -> workerOfStep.put((String) d.details().get("stepId"), d.details().get("worker")));
      assertThat(externalSteps(List.of(instance))).isNotEmpty().allSatisfy(step -> assertThat(workerOfStep)
          .containsEntry((String) step.get("step_id"), step.get("completed_by")));
    }
    // the provider's lead time is measured: the start-up of real worker processes
    assertThat(provider.startupTime()).isPositive();
  }

  @Test
  @Order(2)
  void shouldCompleteEveryRequestWhenAWorkerIsKilledAndDoNoStepsWorkTwice() throws Exception {
    long snapshotsBefore = count("select count(*) from demo_snapshot");
    Instant since = Instant.now();
    // slower work, so that runs are in a worker's hands when it is killed
    List.of("render-report", "query-replica", "query-primary", "snapshot-incremental", "snapshot-full", "replicate-stream")
        .forEach(component -> faults.inject(component, 4, Duration.ofMinutes(3), since));
    ExecutorService load = Executors.newSingleThreadExecutor();
    try {
      Future<List<String>> composed = load.submit(() -> composeConcurrently(30));
      String[] victim = new String[1];
      await("a step run in the hands of a worker", () -> {
        victim[0] = jdbc.sql("select first_worker from flowcast_step_run where completed_by is null and claimed_at >= ?"
                + " and first_worker like 'local-%' order by claimed_at desc")
            .param(java.sql.Timestamp.from(since)).query(String.class).list().stream()
            .filter(worker -> provider.processOf(worker) != null && provider.processOf(worker).isAlive())
            .findFirst().orElse(null);
        return victim[0] != null;
      });

      String victimsPool = registry.find(victim[0]).pool();
      provider.processOf(victim[0]).destroyForcibly();

      List<String> instances = composed.get();
      awaitEnded(instances);
      assertThat(provider.workerIds(victimsPool)).as("the workers of %s, once its killed worker has ended", victimsPool)
          .doesNotContain(victim[0]);
      List<Map<String, Object>> steps = externalSteps(instances);
      assertThat(steps).allSatisfy(step -> assertThat(step.get("completed_by")).as("completion of %s", step).isNotNull());
      assertThat(steps).as("runs taken over from the killed worker")
          .anySatisfy(step -> assertThat(step.get("first_worker")).isEqualTo(victim[0]))
          .anySatisfy(step -> assertThat(((Number) step.get("claims")).intValue()).isGreaterThan(1));
      // a snapshot is a row each time its work runs: one row per snapshot step, none twice
      long snapshotSteps = steps.stream().filter(s -> String.valueOf(s.get("component")).startsWith("snapshot-")).count();
      assertThat(count("select count(*) from demo_snapshot") - snapshotsBefore).isEqualTo(snapshotSteps);
    } finally {
      load.shutdownNow();
      List.of("render-report", "query-replica", "query-primary", "snapshot-incremental", "snapshot-full", "replicate-stream")
          .forEach(faults::end);
    }
  }

  @Test
  @Order(3)
  void shouldRestartASlowExternalStepOnItsAlternativeAndRefuseTheOldWorkersCompletion() {
    faults.inject("query-replica", 1000, Duration.ofMinutes(5), Instant.now());
    try {
      CompositionResult result = fixture.compose("alice", "run-report");
      assertThat(result.status()).isEqualTo(CompositionResult.Status.STARTED);
      String instance = result.processInstanceId();
      await("the query step running on a worker", () -> count(
          "select count(*) from flowcast_step_run where instance_id = ? and component = 'query-replica'", instance) > 0);
      long cancelledBefore = cancelledByWorkers();

      ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofSeconds(60))));
      List<Decision> switches = new ArrayList<>(watcher.check());
      switches.addAll(watcher.check());
      ClockUtil.reset();

      assertThat(switches).filteredOn(d -> d.processInstanceId().equals(instance))
          .extracting(Decision::status).containsExactly("RESTARTED");
      awaitEnded(List.of(instance));
      List<Map<String, Object>> steps = externalSteps(List.of(instance));
      assertThat(steps).filteredOn(s -> s.get("component").equals("query-replica"))
          .singleElement().satisfies(s -> assertThat(s.get("completed_by")).isNull());
      assertThat(steps).filteredOn(s -> s.get("component").equals("query-primary"))
          .singleElement().satisfies(s -> assertThat(s.get("completed_by")).isNotNull());
      await("the old worker counted its refused step", () -> cancelledByWorkers() > cancelledBefore);
    } finally {
      ClockUtil.reset();
      faults.end("query-replica");
    }
  }

  @Test
  @Order(4)
  void shouldRefuseAWorkerWithAWrongPasswordOrEngineUrlInOneLine() throws Exception {
    assertThat(workerCommand("--pool", "spot", "--engine-rest", engineRest(), "--user", "demo", "--password", "wrong"))
        .isEqualTo("worker: the engine at " + engineRest() + " refused user 'demo': wrong user name or password");
    assertThat(workerCommand("--pool", "spot", "--engine-rest", "http://localhost:18399/engine-rest", "--user", "demo",
        "--password", "demo"))
        .isEqualTo("worker: nothing answers at http://localhost:18399/ (connection refused)");
    assertThat(workerCommand("--pool", "spot", "--engine-rest", "http://localhost:" + port + "/engine", "--user", "demo",
        "--password", "demo"))
        .startsWith("worker: http://localhost:" + port + "/engine answers, but is not an engine's REST API");
  }

  @Test
  @Order(5)
  void shouldRefuseAWorkerForAPoolThePriceCatalogDoesNotHave() throws Exception {
    assertThat(workerCommand("--pool", "moon", "--engine-rest", engineRest(), "--user", "demo", "--password", "demo",
        "--id", "moon-worker"))
        .isEqualTo("worker: Flowcast at http://localhost:" + port + "/flowcast/api refused the worker: pool 'moon' is not"
            + " a pool of the price catalog (pools: on-demand, reserved, spot)");
    assertThat(registry.find("moon-worker")).isNull();
  }

  @Test
  @Order(6)
  void shouldRefuseACompletionThatSetsVariablesItsComponentDoesNotDeclare() throws Exception {
    // a pool no worker serves here, so the task waits for this test
    String instance = engine.getRuntimeService().startProcessInstanceByKey("component-query-primary",
        Map.of("flowcastPool", "reserved")).getId();
    var task = engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(instance).singleResult();
    assertThat(task.getTopicName()).isEqualTo("demo-query@reserved");
    engine.getExternalTaskService().lock(task.getId(), "test-worker", 60_000);

    var refused = complete(task.getId(), "{\"workerId\": \"test-worker\", \"variables\": {"
        + "\"reportRows\": {\"value\": 3}, \"secret\": {\"value\": \"x\"}}}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("secret").contains("does not declare").doesNotContain("reportRows");
    assertThat(engine.getExternalTaskService().createExternalTaskQuery().externalTaskId(task.getId()).count()).isOne();
    assertThat(engine.getRuntimeService().getVariables(instance)).doesNotContainKey("secret");

    var taken = complete(task.getId(), "{\"workerId\": \"test-worker\", \"variables\": {\"reportRows\": {\"value\": 3}}}");
    assertThat(taken.statusCode()).isEqualTo(204);
    var again = complete(task.getId(), "{\"workerId\": \"test-worker\", \"variables\": {\"reportRows\": {\"value\": 3}}}");
    assertThat(again.statusCode()).as("a second completion").isEqualTo(404);
  }

  @Test
  @Order(7)
  void shouldUnlockWhatItCannotFinishWhenAskedToStopAndDeregister() {
    faults.inject("query-replica", 1000, Duration.ofMinutes(5), Instant.now());
    try {
      String instance = engine.getRuntimeService().startProcessInstanceByKey("component-query-replica",
          Map.of("flowcastPool", "spot")).getId();
      await("the slow step locked by a worker", () -> lockHolder(instance) != null
          && count("select count(*) from flowcast_step_run where component_instance_id = ?", instance) > 0);
      String holder = lockHolder(instance);

      provider.processOf(holder).destroy();

      await("the worker gone from its pool", () -> registry.live().stream().noneMatch(w -> w.id().equals(holder)));
      await("its task unlocked, or taken by the other worker", () -> !holder.equals(lockHolder(instance)));
      await("the worker process ended after deregistering", () -> !provider.processOf(holder).isAlive());
    } finally {
      faults.end("query-replica");
    }
  }

  @Test
  @Order(8)
  void shouldReportTheSlotOfARunningStepAsInUseFromTheWorkersHeartbeats() {
    faults.inject("query-replica", 1000, Duration.ofMinutes(5), Instant.now());
    try {
      String instance = engine.getRuntimeService().startProcessInstanceByKey("component-query-replica",
          Map.of("flowcastPool", "spot")).getId();
      await("the slow step locked by a worker", () -> lockHolder(instance) != null);

      // a slot is 0.5 vCPU, 2048 MB: what the monitor counts held in spot, unless reservations say more
      await("spot's slot in use reported by its worker's heartbeat",
          () -> provider.size("spot", Instant.now()).inUse().vcpu() >= 0.5
              && provider.size("spot", Instant.now()).inUse().memoryMb() >= 2048);
      assertThat(provider.size("on-demand", Instant.now()).inUse()).isEqualTo(ResourceDemand.NONE);

      engine.getRuntimeService().deleteProcessInstance(instance, "test: the step was only needed running");
    } finally {
      faults.end("query-replica");
    }
  }

  @Test
  @Order(9)
  void shouldScaleInWithoutStoppingAWorkerThatStaysWhileAnotherIsStillStopping() {
    List<String> before = provider.workerIds("on-demand");

    provider.requestTarget("on-demand", 1, Instant.now());
    // the stopped worker still finishes, deregisters and is registered meanwhile: asked again, nothing else stops
    provider.requestTarget("on-demand", 1, Instant.now());
    assertThat(provider.size("on-demand", Instant.now()).provisionedUnits()).isEqualTo(1);

    await("one worker left in on-demand", () -> registry.pool("on-demand").liveWorkers() == 1);
    assertThat(provider.workerIds("on-demand")).hasSize(1).containsAnyElementsOf(before);
    assertThat(registry.pool("on-demand").liveWorkers()).isEqualTo(1);
    assertThat(provider.processOf(provider.workerIds("on-demand").get(0)).isAlive()).isTrue();
  }

  @Test
  @Order(10)
  void shouldAskAgainForARunWhoseWorkWaitsForAnotherStepAndRunItOnceWhenItsTurnComes() throws Exception {
    // given the demo replica held by another step's work
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(tx -> {
      jdbc.sql("select name from demo_lock where name = 'replica' for update").query(String.class).single();
      held.countDown();
      try {
        letGo.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

    // when a restore reaches a worker of its pool, which asks for its run while the replica is held
    String restore = engine.getRuntimeService().startProcessInstanceByKey("component-restore-snapshot",
        Map.of("flowcastPool", "on-demand")).getId();
    await("the restore locked by a worker", () -> lockHolder(restore) != null);
    Thread.sleep(2_500);
    Instant released = Instant.now();
    letGo.countDown();
    holder.get(10, TimeUnit.SECONDS);

    // then the worker asked again and ran it once the replica was free: one claim, made after the release
    awaitEnded(List.of(restore));
    Map<String, Object> run = jdbc.sql("select claims, claimed_at from flowcast_step_run where component_instance_id = ?")
        .param(restore).query().singleRow();
    assertThat(((Number) lowerCaseKeys(run).get("claims")).intValue()).isOne();
    assertThat(((java.sql.Timestamp) lowerCaseKeys(run).get("claimed_at")).toInstant()).isAfterOrEqualTo(released);
  }

  private String lockHolder(String componentInstance) {
    var task = engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(componentInstance).singleResult();
    return task == null || task.getLockExpirationTime() == null || task.getLockExpirationTime().before(new Date())
        ? null : task.getWorkerId();
  }

  @org.springframework.boot.test.web.server.LocalServerPort int port;

  private String engineRest() {
    return "http://localhost:" + port + "/engine-rest";
  }

  private java.net.http.HttpResponse<String> complete(String taskId, String body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(engineRest() + "/external-task/" + taskId + "/complete"))
            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("demo:demo".getBytes()))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Runs a worker as its own process, as Flowcast's command and as the main the local-workers
   * provider starts; returns all it printed, the same for both (each must fail with exit code 2).
   */
  private static String workerCommand(String... arguments) throws Exception {
    String fromCommand = printedByFailed(List.of("dev.flowcast.FlowcastApplication", "worker"), arguments);
    String fromProcess = printedByFailed(List.of(WorkerProcess.class.getName()), arguments);
    assertThat(fromProcess).as("what the provider's worker process says").isEqualTo(fromCommand);
    return fromCommand;
  }

  private static String printedByFailed(List<String> main, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    command.addAll(main);
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor()).as("exit code; printed: %s", output).isEqualTo(2);
    assertThat(output.lines().count()).as("lines printed: %s", output).isOne();
    return output;
  }

  private List<String> composeConcurrently(int requests) throws Exception {
    String[] intents = {"run-report", "backup-database", "replicate-database"};
    ExecutorService clients = Executors.newFixedThreadPool(5);
    try {
      List<Future<CompositionResult>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String intent = intents[i % intents.length];
        answers.add(clients.submit(() -> fixture.compose("alice", intent)));
      }
      List<String> instances = new ArrayList<>();
      for (Future<CompositionResult> answer : answers) {
        CompositionResult result = answer.get();
        assertThat(result.status()).isIn(CompositionResult.Status.STARTED, CompositionResult.Status.QUEUED);
        instances.add(result.status() == CompositionResult.Status.STARTED ? result.processInstanceId()
            : startedFromQueue(result.processInstanceId()));
      }
      return instances;
    } finally {
      clients.shutdown();
    }
  }

  /** The instance a queued request started when it fitted (its queue instance then ends). */
  private String startedFromQueue(String queueInstance) {
    awaitEnded(List.of(queueInstance));
    return (String) engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(queueInstance)
        .variableName(ProcessVariables.STARTED_INSTANCE).singleResult().getValue();
  }

  /** Each external step of the instances: its bound pool (the step log) beside its run (the workers' log). */
  private List<Map<String, Object>> externalSteps(List<String> instances) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (String instance : instances) {
      steps.addAll(jdbc.sql("select r.run_key, r.step_id, r.component, r.first_worker, r.claims, r.completed_by, s.pool bound_pool"
              + " from flowcast_step_run r join flowcast_step s on s.process_instance_id = r.instance_id and s.step_id = r.step_id"
              + " and s.component = r.component where r.instance_id = ?")
          .param(instance).query().listOfRows().stream().map(WorkerPoolsTest::lowerCaseKeys).toList());
    }
    return steps;
  }

  private static Map<String, Object> lowerCaseKeys(Map<String, Object> row) {
    Map<String, Object> lower = new java.util.LinkedHashMap<>();
    row.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return lower;
  }

  private long cancelledByWorkers() {
    return registry.live().stream().mapToLong(WorkerRegistry.Worker::cancelled).sum();
  }

  private void awaitEnded(List<String> instances) {
    var history = engine.getHistoryService();
    Eventually.awaitWhileProgressing(instances.size() + " instances ended", STALL, AT_MOST,
        () -> history.createHistoricProcessInstanceQuery().finished().count(),
        () -> history.createHistoricProcessInstanceQuery().processInstanceIds(new java.util.HashSet<>(instances))
            .finished().count() == instances.size());
  }

  private long count(String sql, Object... params) {
    return jdbc.sql(sql).params(params).query(Long.class).single();
  }

  private static void await(String what, BooleanSupplier condition) {
    Eventually.await(what, PATIENCE, condition);
  }
}
