package dev.flowcast.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.RequiredTool;
import dev.flowcast.composer.Composer;
import dev.flowcast.resources.PriceCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The production stack in {@code docker/} as far as it can be checked without a container engine:
 * its files parse, every metric the Grafana dashboard and the alerts query exists on this
 * application's {@code /actuator/prometheus}, HAProxy's and Prometheus's own checks accept their
 * configuration, and the Kubernetes manifest probes endpoints that answer.
 */
@FlowcastTest
class ProductionStackTest {

  static final Path DOCKER = Path.of("docker");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "increase",
      "by", "without", "on", "ignoring", "and", "or", "unless", "histogram_quantile", "abs", "clamp_min", "topk");
  /** Series Prometheus makes itself, not the application. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;

  @Test
  void shouldDescribeTwoNodesOnOnePostgresBehindALoadBalancerWithPrometheusAndGrafana() throws IOException {
    Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

    assertThat(services).containsKeys("postgres", "node-1", "node-2", "load-balancer", "prometheus", "grafana");
    for (String node : List.of("node-1", "node-2")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> environment = (Map<String, Object>) services.get(node).get("environment");
      assertThat(environment.get("SPRING_PROFILES_ACTIVE").toString()).contains("postgres");
      assertThat(environment).containsKeys("FLOWCAST_DB_URL", "FLOWCAST_DB_USER", "FLOWCAST_DB_PASSWORD");
    }
    for (Map<String, Object> service : services.values()) {
      @SuppressWarnings("unchecked")
      List<String> volumes = (List<String>) service.getOrDefault("volumes", List.of());
      volumes.stream().map(v -> v.split(":")[0]).filter(source -> source.startsWith("./"))
          .forEach(source -> assertThat(DOCKER.resolve(source)).as("mounted %s", source).exists());
    }
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertThat(dockerfile).contains("-Djarmode=tools", "extract --layers", "JarLauncher");
  }

  @Test
  void shouldScrapeBothNodes() throws IOException {
    Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus/prometheus.yml"));

    @SuppressWarnings("unchecked")
    Map<String, Object> flowcast = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).stream()
        .filter(job -> "flowcast".equals(job.get("job_name"))).findFirst().orElseThrow();
    assertThat(flowcast.get("metrics_path")).isEqualTo("/actuator/prometheus");
    assertThat(flowcast.get("static_configs").toString()).contains("node-1:8080", "node-2:8080");
  }

  @Test
  void shouldExposeEveryMetricTheDashboardAndTheAlertsQuery() throws IOException {
    // given a composition that has run, so request timers, decision counters and step timers have series
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    ResponseEntity<String> composed = rest.withBasicAuth("alice", "alice").postForEntity("/flowcast/api/requests",
        new HttpEntity<>("{\"intent\": \"run-report\"}", headers), String.class);
    assertThat(composed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    new EngineFixture(engine, composer, catalog).runJobs(json.readTree(composed.getBody()).get("processInstanceId").asText());
    Set<String> exposed = exposedMetrics(rest.getForObject("/actuator/prometheus", String.class));

    Set<String> queried = new TreeSet<>();
    JsonNode dashboard = json.readTree(DOCKER.resolve("grafana/dashboards/flowcast.json").toFile());
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queried.addAll(metricsIn(target.get("expr").asText()));
      }
    }
    rulesIn(DOCKER.resolve("prometheus/alerts.yml")).forEach(rule -> queried.addAll(metricsIn(rule.get("expr").toString())));

    assertThat(queried).as("metrics queried").isNotEmpty().contains("flowcast_decisions_total", "flowcast_queue_length");
    queried.removeAll(PROMETHEUS_OWN);
    assertThat(exposed).as("exposed on /actuator/prometheus").containsAll(queried);
  }

  @Test
  void shouldPassHaproxysOwnConfigurationCheck() throws Exception {
    RequiredTool.require(Files.isExecutable(Path.of("/usr/sbin/haproxy")),
        "haproxy is not installed: apt-get install haproxy (.ci/run installs it)");

    Result check = run("/usr/sbin/haproxy", "-c", "-f", DOCKER.resolve("haproxy/haproxy.cfg").toString());

    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output()).contains("Configuration file is valid");
  }

  @Test
  void shouldPassPrometheusOwnConfigurationCheck() throws Exception {
    RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool is not installed: apt-get install prometheus (.ci/run installs it)");
    Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
    List<?> ruleFiles = (List<?>) prometheus.getOrDefault("rule_files", List.of());
    assertThat(ruleFiles).as("the rule files prometheus.yml names").isNotEmpty();
    int rules = 0;
    for (Object ruleFile : ruleFiles) {
      rules += rulesIn(DOCKER.resolve("prometheus").resolve(ruleFile.toString())).size();
    }

    Result check = run("/usr/bin/promtool", "check", "config", DOCKER.resolve("prometheus/prometheus.yml").toString());

    assertThat(check.code()).as(check.output()).isZero();
    assertThat(rules).as("alerting rules in the rule files prometheus.yml names").isPositive();
    assertThat(check.output()).contains("SUCCESS: " + rules + " rules found");
  }

  @Test
  void shouldRunTwoReplicasProbedOnEndpointsThatAnswer() throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    new Yaml(new LoaderOptions()).loadAll(Files.readString(DOCKER.resolve("kubernetes/flowcast.yaml")))
        .forEach(document -> documents.add(cast(document)));
    Map<String, Object> deployment = documents.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst()
        .orElseThrow();
    Map<String, Object> secret = documents.stream().filter(d -> "Secret".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> spec = cast(deployment.get("spec"));
    Map<String, Object> container = cast(((List<?>) cast(cast(spec.get("template")).get("spec")).get("containers")).get(0));

    assertThat(spec.get("replicas")).isEqualTo(2);
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      String path = cast(cast(container.get(probe)).get("httpGet")).get("path").toString();
      assertThat(rest.getForEntity(path, String.class).getStatusCode()).as(probe + " " + path).isEqualTo(HttpStatus.OK);
    }
    Set<String> secretKeys = cast(secret.get("stringData")).keySet();
    for (Object variable : (List<?>) container.get("env")) {
      Map<String, Object> env = cast(variable);
      if (env.containsKey("valueFrom")) {
        assertThat(secretKeys).contains(cast(cast(env.get("valueFrom")).get("secretKeyRef")).get("key").toString());
      }
    }
    String postgresProfile = new String(getClass().getResourceAsStream("/application-postgres.yml").readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(postgresProfile).contains("${FLOWCAST_DB_URL", "${FLOWCAST_DB_USER", "${FLOWCAST_DB_PASSWORD");
  }

  @Test
  void shouldScaleWorkersWithKedaOnAForecastTheApplicationExposes() throws IOException {
    Map<String, Object> scaledObject = yaml(DOCKER.resolve("kubernetes/keda-scaledobject.yaml"));
    Map<String, Object> trigger = cast(((List<?>) cast(scaledObject.get("spec")).get("triggers")).get(0));
    String query = cast(trigger.get("metadata")).get("query").toString();

    assertThat(scaledObject.get("kind")).isEqualTo("ScaledObject");
    assertThat(trigger.get("type")).isEqualTo("prometheus");
    assertThat(metricsIn(query)).containsExactly("flowcast_demand_forecast");
    String scrape = rest.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("flowcast_demand_forecast{horizon=\"10m\",kind=\"cpu\",quantile=\"0.9\"");
  }

  @Test
  void shouldRunAWorkerServicePerPoolThatReachesTheEngineThroughTheLoadBalancer() throws IOException {
    Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
    Map<String, Object> services = cast(compose.get("services"));
    List<Map<String, Object>> documents = new ArrayList<>();
    new Yaml(new LoaderOptions()).loadAll(Files.readString(DOCKER.resolve("kubernetes/flowcast.yaml")))
        .forEach(document -> documents.add(cast(document)));

    for (String pool : List.of("spot", "on-demand")) {
      assertThat(catalog.pools()).containsKey(pool);
      List<String> command = ((List<?>) cast(services.get("worker-" + pool)).get("command")).stream()
          .map(String::valueOf).toList();
      assertThat(command).containsSubsequence("worker", "--pool", pool)
          .containsSubsequence("--engine-rest", "http://load-balancer:8080/engine-rest");
      Map<String, Object> deployment = documents.stream()
          .filter(d -> "Deployment".equals(d.get("kind")) && ("flowcast-workers-" + pool).equals(cast(d.get("metadata")).get("name")))
          .findFirst().orElseThrow(() -> new AssertionError("no Deployment flowcast-workers-" + pool));
      Map<String, Object> podSpec = cast(cast(cast(deployment.get("spec")).get("template")).get("spec"));
      Map<String, Object> container = cast(((List<?>) podSpec.get("containers")).get(0));
      assertThat(((List<?>) container.get("args")).stream().map(String::valueOf).toList()).containsSubsequence("worker", "--pool", pool)
          .containsSubsequence("--engine-rest", "http://flowcast:8080/engine-rest");
      assertThat(cast(podSpec.get("nodeSelector"))).containsEntry("flowcast.dev/pool", pool);
    }
    Map<String, Object> scaledObject = yaml(DOCKER.resolve("kubernetes/keda-scaledobject.yaml"));
    String scaled = cast(cast(scaledObject.get("spec")).get("scaleTargetRef")).get("name").toString();
    assertThat(documents).as("the Deployment KEDA scales").anySatisfy(d -> assertThat(cast(d.get("metadata")).get("name")).isEqualTo(scaled));
  }

  /** The metric names in a PromQL expression: labels, ranges, strings and functions taken out. */
  static Set<String> metricsIn(String expression) {
    String bare = expression.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
        .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (identifier.find()) {
      String name = identifier.group();
      int end = identifier.end();
      boolean isFunction = end < bare.length() && bare.substring(end).stripLeading().startsWith("(");
      if (!isFunction && !PROMQL_WORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** The rules of every group of a Prometheus rule file. */
  private static List<Map<String, Object>> rulesIn(Path ruleFile) throws IOException {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<?>) yaml(ruleFile).get("groups")) {
      ((List<?>) cast(group).get("rules")).forEach(rule -> rules.add(cast(rule)));
    }
    return rules;
  }

  private static Set<String> exposedMetrics(String scrape) {
    return scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return cast(new Yaml(new LoaderOptions()).load(Files.readString(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value) {
    return (Map<String, Object>) value;
  }

  private record Result(int code, String output) {}

  private static Result run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
