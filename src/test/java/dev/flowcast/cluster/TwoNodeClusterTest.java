package dev.flowcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flowcast.RequiredTool;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two Flowcast nodes, each in a process of its own, on one PostgreSQL database, driven through
 * their REST APIs on loopback: state one node writes is used by the other, a composition both ask
 * for at the same moment is deployed once, a degraded instance is switched once whichever node
 * assesses it, a load that must partly queue is served once per request, and when one node is
 * killed (SIGKILL) under load, every request that got a 201 still ends, run by the surviving node
 * once the dead node's job locks run out; while the database is down the API answers 503. Runs when {@code FLOWCAST_TEST_CLUSTER_POSTGRES_URL} names a database that user
 * {@code flowcast} owns ({@code .ci/run} creates it); its schema is emptied first.
 */
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_CLUSTER_POSTGRES_URL", matches = ".+")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterTest {

  static final Path FOLDER = Path.of("target", "cluster");
  static final Duration LOCK_TIME = Duration.ofSeconds(5);
  /** No accepted request ended for this long: the drain has stalled (a lost request, a leaked reservation). */
  static final Duration STALL = Duration.ofMinutes(3);
  /** The longest a drain is followed, so that a slow leak cannot keep CI waiting until it is killed. */
  static final Duration AT_MOST = Duration.ofMinutes(20);
  static final String[] SETTINGS = {
      "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME.toMillis(),
      "--camunda.bpm.job-execution.wait-time-in-millis=500",
      "--flowcast.demo.time-scale=0.02",
      "--flowcast.queue.retry-interval=PT2S",
      "--flowcast.prediction.refresh-interval=PT2S",
      "--flowcast.proactive.enabled=false",
      // the cluster, not elastic pools: one worker per pool and node, the catalog's capacity
      "--flowcast.workers.local.per-pool=1", "--flowcast.capacity.provider=fixed",
      // a request waits this long for a connection before it is answered 503 while the database is down
      "--spring.datasource.hikari.connection-timeout=3000",
      "--logging.level.root=WARN", "--logging.level.dev.flowcast=INFO"};

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Map<String, Object> report = new LinkedHashMap<>();
  private ClusterNode nodeA;
  private ClusterNode nodeB;

  @BeforeAll
  void startTwoNodesOnAnEmptyDatabase() throws Exception {
    String url = System.getenv("FLOWCAST_TEST_CLUSTER_POSTGRES_URL");
    try (Connection connection = DriverManager.getConnection(url, "flowcast", "flowcast");
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema public cascade");
      statement.execute("create schema public");
    }
    // one after the other: the first creates the engine's schema and runs the migrations
    nodeA = ClusterNode.start("node-a", url, FOLDER, Duration.ofMinutes(4), SETTINGS);
    nodeB = ClusterNode.start("node-b", url, FOLDER, Duration.ofMinutes(4), SETTINGS);
  }

  @AfterAll
  void stopNodesAndWriteTheReport() throws Exception {
    for (ClusterNode node : new ClusterNode[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    Files.createDirectories(FOLDER);
    Files.writeString(FOLDER.resolve("report.json"), json.writeValueAsString(report));
    System.out.println("cluster report: " + json.writeValueAsString(report));
  }

  @Test
  @Order(1)
  void shouldAnswerPredictionsOnOneNodeWithAModelTrainedThroughTheOther() throws Exception {
    StringBuilder activity = new StringBuilder();
    Instant start = Instant.now().minus(Duration.ofDays(5));
    for (int session = 0; session < 60; session++) {
      Instant at = start.plus(Duration.ofHours(2L * session));
      for (String action : List.of("login", "backup-database", "run-report")) {
        activity.append("{\"time\": \"").append(at).append("\", \"user\": \"alice\", \"action\": \"").append(action)
            .append("\"}\n");
        at = at.plusSeconds(60);
      }
    }
    assertThat(nodeA.post("demo", "/flowcast/api/activity", activity.toString()).statusCode()).isEqualTo(201);
    // alice's session now, sent to the other node: a prediction needs a current session
    assertThat(nodeB.post("alice", "/flowcast/api/activity", "[{\"time\": \"" + Instant.now()
        + "\", \"user\": \"alice\", \"action\": \"backup-database\"}]").statusCode()).isEqualTo(201);
    HttpResponse<String> trained = nodeA.post("demo", "/flowcast/api/models/intent/train", "");
    assertThat(trained.statusCode()).as(trained.body()).isEqualTo(201);
    int version = nodeA.json(trained).get("version").asInt();
    // the model selection may choose a Markov chain over the trees: node B answers with whichever won
    String winner = nodeA.json(trained).path("description").path("selection").path("winner").asText();

    JsonNode prediction = null;
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      prediction = nodeB.json(nodeB.get("alice", "/flowcast/api/predictions"));
      if (prediction.path("modelVersion").asInt() == version) {
        break;
      }
      Thread.sleep(500);
    }

    assertThat(winner).isNotBlank();
    assertThat(prediction.get("source").asText()).isEqualTo(winner);
    assertThat(prediction.get("modelVersion").asInt()).isEqualTo(version);
  }

  @Test
  @Order(2)
  void shouldDeployACompositionBothNodesAskForAtTheSameMomentOnce() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(2);
    int rounds = 20;
    List<Integer> definitionsPerRound = new ArrayList<>();
    try {
      for (int round = 0; round < rounds; round++) {
        Future<HttpResponse<String>> onA = clients.submit(() -> nodeA.post("alice", "/flowcast/api/requests",
            "{\"intent\": \"scale-service\"}"));
        Future<HttpResponse<String>> onB = clients.submit(() -> nodeB.post("alice", "/flowcast/api/requests",
            "{\"intent\": \"scale-service\"}"));
        JsonNode a = nodeA.json(onA.get());
        JsonNode b = nodeB.json(onB.get());
        assertThat(a.get("status").asText()).isEqualTo("STARTED");
        assertThat(b.get("status").asText()).isEqualTo("STARTED");
        JsonNode definition = nodeA.json(nodeA.get("demo", "/engine-rest/process-definition/"
            + a.get("processDefinitionId").asText()));
        String versionTag = definition.get("versionTag").asText();
        JsonNode sameComposition = nodeA.json(nodeA.get("demo",
            "/engine-rest/process-definition?key=flowcast-scale-service&versionTag=" + versionTag));
        definitionsPerRound.add(sameComposition.size());
        assertThat(b.get("processDefinitionId").asText()).isEqualTo(a.get("processDefinitionId").asText());
        // make the composition new again for the next round: once its instances have ended (the job
        // executors of both nodes run them), its deployment goes
        awaitNoInstancesOf(a.get("processDefinitionId").asText());
        deleteDeployment(definition.get("deploymentId").asText());
      }
    } finally {
      clients.shutdownNow();
    }
    report.put("simultaneousCompositions", Map.of("rounds", rounds, "definitionsPerRound", definitionsPerRound));
    assertThat(definitionsPerRound).hasSize(rounds).containsOnly(1);
  }

  @Test
  @Order(3)
  void shouldSwitchADegradedInstanceOnceWhicheverNodeDecides() throws Exception {
    // the demo's world: rendering slows down (a demo fault lives in the node that is told: both are)
    for (ClusterNode node : List.of(nodeA, nodeB)) {
      HttpResponse<String> fault = node.post("demo", "/flowcast/api/demo/faults",
          "{\"component\": \"render-report\", \"slowdownFactor\": 400, \"seconds\": 180}");
      assertThat(fault.statusCode()).as(fault.body()).isBetween(200, 201);
    }
    List<String> instances = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ClusterNode node = i % 2 == 0 ? nodeA : nodeB;
      JsonNode started = node.json(node.post("alice", "/flowcast/api/requests", "{\"intent\": \"run-report\"}"));
      assertThat(started.get("status").asText()).as(started.toString()).isEqualTo("STARTED");
      instances.add(started.get("processInstanceId").asText());
    }

    // both nodes' job executors run the steps, both nodes' watchers check every instance
    Instant deadline = Instant.now().plusSeconds(120);
    List<String> states;
    do {
      Thread.sleep(1000);
      states = new ArrayList<>();
      for (String instance : instances) {
        HttpResponse<String> history = nodeB.get("demo", "/engine-rest/history/process-instance/" + instance);
        JsonNode state = history.statusCode() == 200 ? nodeB.json(history).get("state") : null;
        states.add(state != null ? state.asText() : "HTTP " + history.statusCode() + ": " + history.body());
      }
    } while (!states.stream().allMatch(s -> s.equals("COMPLETED") || s.endsWith("TERMINATED"))
        && Instant.now().isBefore(deadline));
    for (ClusterNode node : List.of(nodeA, nodeB)) {
      node.send("demo", "DELETE", "/flowcast/api/demo/faults/render-report", null);
    }

    List<Integer> switchesPerInstance = new ArrayList<>();
    for (String instance : instances) {
      int switched = 0;
      for (JsonNode decision : nodeA.json(nodeA.get("demo", "/flowcast/api/decisions?processInstanceId=" + instance))) {
        String status = decision.path("status").asText();
        if (decision.path("kind").asText().equals("SWITCH") && (status.equals("MIGRATED") || status.equals("RESTARTED"))) {
          switched++;
        }
      }
      switchesPerInstance.add(switched);
    }
    report.put("degradedOnBothNodes", Map.of("instances", instances.size(), "states", states,
        "switchesPerInstance", switchesPerInstance));
    assertThat(states).as("states of the instances").containsOnly("COMPLETED");
    assertThat(switchesPerInstance).as("switches per instance").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
    assertThat(switchesPerInstance.stream().mapToInt(Integer::intValue).sum()).as("instances switched").isPositive();
  }

  @Test
  @Order(4)
  void shouldServeEveryRequestOnceWhenPartOfThemMustQueue() throws Exception {
    sizePoolsForAHandfulOfInstances();
    int requests = 200;
    ConcurrentLinkedQueue<JsonNode> accepted = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Callable<Void>> work = new ArrayList<>();
    String[] intents = {"run-report", "scale-service", "backup-database", "replicate-database"};
    for (int c = 0; c < 8; c++) {
      work.add(() -> {
        for (int n = sent.getAndIncrement(); n < requests; n = sent.getAndIncrement()) {
          ClusterNode node = n % 2 == 0 ? nodeA : nodeB;
          HttpResponse<String> answer = node.post("alice", "/flowcast/api/requests",
              "{\"intent\": \"" + intents[n % intents.length] + "\"}");
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
          accepted.add(node.json(answer));
        }
        return null;
      });
    }
    for (Future<Void> client : clients.invokeAll(work, 5, TimeUnit.MINUTES)) {
      client.get();
    }
    clients.shutdownNow();
    long queued = accepted.stream().filter(a -> a.get("status").asText().equals("QUEUED")).count();

    // 200 requests through one worker of 4 slots per pool and node, and the steps' timers: on 2
    // shared cores the last ends minutes after the load (what is checked is that each ends, once)
    Instant loadEnded = Instant.now();
    Map<String, Integer> outcomes = followToTheEnd(new ArrayList<>(accepted));
    double secondsToDrain = Duration.between(loadEnded, Instant.now()).toMillis() / 1000.0;
    long held = reservationsOfEndedInstances();
    Map<String, Object> served = new LinkedHashMap<>();
    served.put("requests", requests);
    served.put("startedAtOnce", accepted.size() - queued);
    served.put("queued", queued);
    served.putAll(outcomes);
    served.put("reservationsHeldByEndedInstances", held);
    served.put("secondsFromEndOfLoadToAllEnded", secondsToDrain);
    report.put("partOfTheLoadQueued", served);

    assertThat(accepted).hasSize(requests);
    assertThat(queued).as("requests that had to queue").isPositive();
    assertThat(outcomes.get("lost")).as("lost").isZero();
    assertThat(outcomes.get("duplicateStarts")).as("queued requests started twice").isZero();
    assertThat(outcomes.get("stillWaiting")).as("still waiting after the drain").isZero();
    assertThat(outcomes.get("completed") + outcomes.get("expired")).isEqualTo(requests);
    assertThat(held).as("reservations of ended instances").isZero();
  }

  @Test
  @Order(5)
  void shouldEndEveryAcceptedRequestWhenANodeIsKilledUnderLoad() throws Exception {
    sizePoolsForAHandfulOfInstances();

    int requests = 120;
    int killAfter = 60;
    ConcurrentLinkedQueue<JsonNode> accepted = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Instant[] killedAt = new Instant[1];
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Callable<Void>> work = new ArrayList<>();
    String[] intents = {"run-report", "scale-service", "backup-database", "replicate-database"};
    for (int c = 0; c < 8; c++) {
      work.add(() -> {
        for (int n = sent.getAndIncrement(); n < requests; n = sent.getAndIncrement()) {
          if (n == killAfter && killedAt[0] == null) {
            nodeA.kill();
            killedAt[0] = Instant.now();
          }
          ClusterNode node = n % 2 == 0 && nodeA.alive() ? nodeA : nodeB;
          try {
            HttpResponse<String> answer = node.post("alice", "/flowcast/api/requests",
                "{\"intent\": \"" + intents[n % intents.length] + "\"}");
            if (answer.statusCode() == 201) {
              accepted.add(node.json(answer));
            } else {
              refused.incrementAndGet();
            }
          } catch (java.io.IOException e) {
            refused.incrementAndGet(); // the killed node: no answer, so nothing was promised
          }
        }
        return null;
      });
    }
    clients.invokeAll(work, 5, TimeUnit.MINUTES);
    clients.shutdownNow();
    Instant loadEnded = Instant.now();

    // the dead node's locks expire first; then one node's workers drain it all (see above)
    Map<String, Integer> outcomes = followToTheEnd(new ArrayList<>(accepted));
    Instant allEnded = Instant.now();
    long unreleased = nodeB.json(nodeB.get("demo", "/engine-rest/process-instance/count")).get("count").asLong();
    long held = reservationsOfEndedInstances();

    Map<String, Object> killed = new LinkedHashMap<>();
    killed.put("requests", requests);
    killed.put("accepted", accepted.size());
    killed.put("notAnswered", refused.get());
    killed.putAll(outcomes);
    killed.put("reservationsHeldByEndedInstances", held);
    killed.put("instancesStillRunning", unreleased);
    killed.put("secondsFromKillToAllEnded", Duration.between(killedAt[0], allEnded).toMillis() / 1000.0);
    killed.put("secondsFromEndOfLoadToAllEnded", Duration.between(loadEnded, allEnded).toMillis() / 1000.0);
    report.put("nodeKilledUnderLoad", killed);

    assertThat(killedAt[0]).isNotNull();
    assertThat(outcomes.get("lost")).as("lost").isZero();
    assertThat(outcomes.get("duplicateStarts")).as("duplicate starts").isZero();
    assertThat(outcomes.get("stillWaiting")).as("still waiting after the drain").isZero();
    assertThat(outcomes.get("completed") + outcomes.get("expired")).isEqualTo(accepted.size());
    assertThat(held).as("reservations of ended instances").isZero();
  }

  /**
   * Runs after the kill, on the surviving node. {@code FLOWCAST_TEST_POSTGRES_CONTROL} is the
   * command that stops and starts the database server ({@code .ci/run} sets it, e.g.
   * {@code pg_ctlcluster 15 main}).
   */
  @Test
  @Order(6)
  void shouldAnswer503WhileTheDatabaseIsDownAndResumeByItself() throws Exception {
    String control = System.getenv("FLOWCAST_TEST_POSTGRES_CONTROL");
    RequiredTool.require(control != null && !control.isBlank(),
        "FLOWCAST_TEST_POSTGRES_CONTROL names no command that stops and starts the database server"
            + " (.ci/run sets it, e.g. 'sudo pg_ctlcluster 15 main')");
    long decisionsBefore = countOf("select count(*) from flowcast_decision");
    String since = "timestamp '" + java.sql.Timestamp.from(Instant.now().minusSeconds(1)) + "'";

    // a steady load on the surviving node before, during and after the outage
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<JsonNode> accepted = new ConcurrentLinkedQueue<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> load = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      load.add(clients.submit(() -> {
        while (loading.get()) {
          HttpResponse<String> answer = nodeB.post("alice", "/flowcast/api/requests", "{\"intent\": \"scale-service\"}");
          statuses.computeIfAbsent(answer.statusCode(), code -> new AtomicInteger()).incrementAndGet();
          if (answer.statusCode() == 201) {
            accepted.add(nodeB.json(answer));
          }
          Thread.sleep(200);
        }
        return null;
      }));
    }
    Thread.sleep(2000);

    List<Integer> during = new ArrayList<>();
    String answer;
    control(control, "stop");
    try {
      HttpResponse<String> compose = nodeB.post("alice", "/flowcast/api/requests", "{\"intent\": \"scale-service\"}");
      HttpResponse<String> read = nodeB.get("demo", "/flowcast/api/decisions?limit=5");
      during.add(compose.statusCode());
      during.add(read.statusCode());
      answer = compose.body();
    } finally {
      control(control, "start");
    }
    Instant back = Instant.now();
    HttpResponse<String> after;
    do {
      Thread.sleep(1000);
      after = nodeB.post("alice", "/flowcast/api/requests", "{\"intent\": \"scale-service\"}");
    } while (after.statusCode() != 201 && Instant.now().isBefore(back.plusSeconds(60)));
    double secondsToResume = Duration.between(back, Instant.now()).toMillis() / 1000.0;
    Thread.sleep(3000);
    loading.set(false);
    for (Future<?> client : load) {
      client.get(1, TimeUnit.MINUTES);
    }
    clients.shutdownNow();
    Map<String, Integer> outcomes = followToTheEnd(new ArrayList<>(accepted));

    // nothing half-written: a started composition has its instance, and the failed request left no decision
    long startedWithoutInstance = countOf("select count(*) from flowcast_decision d where d.kind = 'COMPOSITION'"
        + " and d.status = 'STARTED' and d.decided_at >= " + since
        + " and not exists (select 1 from act_hi_procinst p where p.id_ = d.process_instance_id)");
    long composedWithoutDecision = countOf("select count(*) from act_hi_procinst p where p.proc_def_key_ like 'flowcast-%'"
        + " and p.proc_def_key_ <> 'flowcast-queue' and p.super_process_instance_id_ is null and p.start_time_ >= "
        + since + " and not exists (select 1 from flowcast_decision d where d.process_instance_id = p.id_)");
    long decisionsAfter = countOf("select count(*) from flowcast_decision");
    Map<String, Object> restarted = new LinkedHashMap<>();
    restarted.put("statusesWhileDown", during);
    restarted.put("secondsToResumeAfterStart", secondsToResume);
    restarted.put("loadStatuses", new TreeMap<>(statuses));
    restarted.put("loadAccepted", outcomes);
    restarted.put("startedCompositionsWithoutInstance", startedWithoutInstance);
    restarted.put("composedInstancesWithoutDecision", composedWithoutDecision);
    report.put("databaseRestarted", restarted);

    assertThat(during).as("answers while the database is down").containsOnly(503);
    assertThat(statuses.keySet()).as("answers to the load before, during and after").containsOnly(201, 503);
    assertThat(statuses.get(503)).as("the load's requests answered 503").isNotNull();
    assertThat(outcomes.get("lost")).as("accepted requests lost").isZero();
    assertThat(outcomes.get("duplicateStarts")).isZero();
    assertThat(outcomes.get("completed") + outcomes.get("expired")).isEqualTo(accepted.size());
    assertThat(answer).contains("the database cannot be reached");
    assertThat(after.statusCode()).as("a request after the database came back: " + after.body()).isEqualTo(201);
    assertThat(startedWithoutInstance).isZero();
    assertThat(composedWithoutDecision).isZero();
    assertThat(decisionsAfter).as("decisions: the one request after the outage, at least").isGreaterThan(decisionsBefore);
  }

  private static void control(String command, String action) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", command + " " + action).inheritIO().start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s %s within a minute", command, action).isTrue();
    assertThat(process.exitValue()).as("%s %s", command, action).isZero();
  }

  private static long countOf(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(System.getenv("FLOWCAST_TEST_CLUSTER_POSTGRES_URL"),
            "flowcast", "flowcast");
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Capacity for a handful of instances at once, so that part of the load queues. */
  private void sizePoolsForAHandfulOfInstances() throws Exception {
    for (String pool : List.of("spot", "on-demand", "reserved")) {
      HttpResponse<String> set = nodeA.send("demo", "PUT", "/flowcast/api/admin/pools/" + pool,
          "{\"vcpu\": 6, \"memoryMb\": 16384, \"networkMbps\": 2000, \"diskIops\": 8000, \"pricePerVcpuHour\": 0.04,"
              + " \"pricePerGbHour\": 0.004, \"interruptionRatePerHour\": 0}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }
    Thread.sleep(6000); // node B takes the overrides at its next catalog check
  }

  private void awaitNoInstancesOf(String definitionId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (nodeA.json(nodeA.get("demo", "/engine-rest/process-instance/count?processDefinitionId=" + definitionId))
        .get("count").asLong() > 0) {
      assertThat(Instant.now()).as("instances of %s ended", definitionId).isBefore(deadline);
      Thread.sleep(250);
    }
  }

  /** Deleting races with the other node's job executor now and then: the engine says so, and it is tried again. */
  private void deleteDeployment(String deploymentId) throws Exception {
    int status = 0;
    for (int attempt = 0; attempt < 5 && status != 204; attempt++) {
      status = nodeA.send("demo", "DELETE", "/engine-rest/deployment/" + deploymentId + "?cascade=true", null)
          .statusCode();
      if (status != 204) {
        Thread.sleep(500);
      }
    }
    assertThat(status).isEqualTo(204);
  }

  /** Follows every accepted request to its end on the surviving node; counts how each ended. */
  /**
   * Follows every accepted request until it has ended. How long that takes depends on how fast the
   * machine's two shared cores run the steps: the drain of the queued load takes minutes on a quiet
   * machine and many more beside two builds. So the patience is for progress, not for the whole
   * drain: it gives up when no request has ended for {@link #STALL}, or after {@link #AT_MOST}.
   */
  private Map<String, Integer> followToTheEnd(List<JsonNode> accepted) throws Exception {
    Instant giveUp = Instant.now().plus(AT_MOST);
    Instant lastProgress = Instant.now();
    int ended = -1;
    Map<String, Integer> outcomes;
    while (true) {
      outcomes = new LinkedHashMap<>(Map.of("completed", 0, "expired", 0, "stillWaiting", 0, "lost", 0,
          "duplicateStarts", 0));
      for (JsonNode request : accepted) {
        String instance = request.get("processInstanceId").asText();
        String outcome = outcomeOf(instance, request.get("status").asText().equals("QUEUED"), outcomes);
        outcomes.merge(outcome, 1, Integer::sum);
      }
      int endedNow = accepted.size() - outcomes.get("stillWaiting");
      if (endedNow > ended) {
        ended = endedNow;
        lastProgress = Instant.now();
      }
      Instant now = Instant.now();
      if (outcomes.get("stillWaiting") == 0 || now.isAfter(lastProgress.plus(STALL)) || now.isAfter(giveUp)) {
        return outcomes;
      }
      Thread.sleep(2000);
    }
  }

  private String outcomeOf(String instance, boolean queued, Map<String, Integer> outcomes) throws Exception {
    HttpResponse<String> history = nodeB.get("demo", "/engine-rest/history/process-instance/" + instance);
    if (history.statusCode() != 200) {
      return "lost";
    }
    String state = nodeB.json(history).get("state").asText();
    if (state.equals("ACTIVE")) {
      return "stillWaiting";
    }
    if (!state.equals("COMPLETED")) {
      return "lost";
    }
    if (!queued) {
      return "completed";
    }
    JsonNode variables = nodeB.json(nodeB.get("demo", "/engine-rest/history/variable-instance?processInstanceId="
        + URLEncoder.encode(instance, StandardCharsets.UTF_8)));
    String status = null;
    List<String> started = new ArrayList<>();
    for (JsonNode variable : variables) {
      if (variable.get("name").asText().equals("queueStatus")) {
        status = variable.get("value").asText();
      }
      if (variable.get("name").asText().equals("flowcastStartedInstanceId")) {
        started.add(variable.get("value").asText());
      }
    }
    if ("EXPIRED".equals(status)) {
      return "expired";
    }
    if (started.size() > 1) {
      outcomes.merge("duplicateStarts", 1, Integer::sum);
    }
    if (started.isEmpty()) {
      return "lost";
    }
    return outcomeOf(started.get(0), false, outcomes);
  }

  private long reservationsOfEndedInstances() throws Exception {
    return countOf("select count(distinct r.process_instance_id) from flowcast_reservation r"
        + " where r.released_at is null and not exists (select 1 from act_ru_execution e"
        + " where e.proc_inst_id_ = r.process_instance_id)");
  }
}
