package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The REST API as a client sees it: status codes, bodies and messages, and that bad input changes nothing. */
@FlowcastTest
class RequestApiTest {

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired DecisionLog decisions;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
  }

  @Test
  void shouldStartTheComposedWorkflowAndDescribeIt() throws Exception {
    ResponseEntity<String> answer = post("alice", "{\"intent\": \"run-report\", \"parameters\": {\"region\": \"eu-west\"}}");

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    JsonNode body = json.readTree(answer.getBody());
    assertThat(body.get("status").asText()).isEqualTo("STARTED");
    assertThat(body.get("processInstanceId").asText()).isNotBlank();
    assertThat(body.get("processDefinitionId").asText()).startsWith("flowcast-run-report:");
    assertThat(body.get("workflow").get("steps")).hasSize(4);
    assertThat(body.get("workflow").get("steps").get(0).get("stepId").asText()).isEqualTo("step_1_provision");
    assertThat(body.get("score").has("fit")).isTrue();
    assertThat(body.get("alternatives")).hasSize(3);
    assertThat(engine.getRuntimeService().getVariable(body.get("processInstanceId").asText(), "region"))
        .isEqualTo("eu-west");
  }

  @Test
  void shouldAnswer401WithoutCredentialsAndWithAWrongPassword() {
    ResponseEntity<String> anonymous = rest.postForEntity("/flowcast/api/requests",
        new HttpEntity<>("{\"intent\":\"run-report\"}", jsonHeaders()), String.class);
    // a wrong password delays the user's next logins (the engine's brute-force protection): use a user no other test needs
    ResponseEntity<String> wrong = rest.withBasicAuth("mallory", "wrong").postForEntity("/flowcast/api/requests",
        new HttpEntity<>("{\"intent\":\"run-report\"}", jsonHeaders()), String.class);

    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
    assertThat(wrong.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void shouldAnswer403WhenTheUserMayNotStartTheIntent() {
    ResponseEntity<String> answer = post("bob", "{\"intent\": \"replicate-database\"}");

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(answer.getBody()).contains("flowcast-replicate-database");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "{\"intent\": \"run-report\"",
    "[1, 2]",
    "{\"intent\": \"no-such-intent\"}",
    "{\"intent\": \"Run Report!\"}",
    "{\"intent\": \"run-report\", \"unexpected\": true}",
    "{\"intent\": \"run-report\", \"parameters\": {\"nested\": {\"a\": 1}}}",
    "{\"intent\": \"run-report\", \"parameters\": {\"flowcastUser\": \"mallory\"}}",
    "{\"intent\": \"run-report\", \"parameters\": {\"bad name\": 1}}",
    "{\"intent\": 42}"
  })
  void shouldAnswer400WithAMessageAndChangeNothingForMalformedRequests(String body) throws Exception {
    long instancesBefore = engine.getRuntimeService().createProcessInstanceQuery().count();
    int decisionsBefore = decisions.find(new DecisionQuery("alice", null, 1000)).size();

    ResponseEntity<String> answer = post("alice", body);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).isNotBlank();
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(instancesBefore);
    assertThat(decisions.find(new DecisionQuery("alice", null, 1000))).hasSize(decisionsBefore);
  }

  @Test
  void shouldAnswerQueuedWhenNothingFits() throws Exception {
    fixture.setAllPoolCapacities(0, 0);

    JsonNode body = json.readTree(post("alice", "{\"intent\": \"scale-service\"}").getBody());

    assertThat(body.get("status").asText()).isEqualTo("QUEUED");
    assertThat(body.get("processDefinitionId").asText()).startsWith("flowcast-queue:");
  }

  @Test
  void shouldListComponentsWithTheirProperties() throws Exception {
    JsonNode body = json.readTree(rest.withBasicAuth("bob", "bob").getForObject("/flowcast/api/components", String.class));

    assertThat(body.get("components").size()).isGreaterThanOrEqualTo(10);
    JsonNode first = body.get("components").get(0);
    assertThat(first.has("capability") && first.has("requirements") && first.has("pool") && first.has("expectedDuration")).isTrue();
    assertThat(body.get("problems")).isEmpty();
  }

  @Test
  void shouldShowUsersTheirOwnDecisionsAndAdminsEveryonesByInstance() throws Exception {
    JsonNode started = json.readTree(post("alice", "{\"intent\": \"run-report\"}").getBody());
    String instance = started.get("processInstanceId").asText();

    JsonNode byInstance = json.readTree(rest.withBasicAuth("demo", "demo")
        .getForObject("/flowcast/api/decisions?processInstanceId=" + instance, String.class));
    ResponseEntity<String> othersDecisions = rest.withBasicAuth("bob", "bob")
        .getForEntity("/flowcast/api/decisions?user=alice", String.class);
    ResponseEntity<String> badLimit = rest.withBasicAuth("alice", "alice")
        .getForEntity("/flowcast/api/decisions?limit=0", String.class);

    assertThat(byInstance).hasSize(1);
    assertThat(byInstance.get(0).get("id").asText()).isEqualTo(started.get("decisionId").asText());
    assertThat(othersDecisions.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(badLimit.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }

  @Test
  void shouldLetOnlyAdminsChangePoolsAndRefuseMalformedPools() {
    String pool = "{\"vcpu\": 8, \"memoryMb\": 1024, \"networkMbps\": 100, \"diskIops\": 100,"
        + " \"pricePerVcpuHour\": 0.04, \"pricePerGbHour\": 0.004, \"interruptionRatePerHour\": 0}";

    ResponseEntity<String> byAlice = put("alice", "/flowcast/api/admin/pools/spot", pool);
    ResponseEntity<String> negative = put("demo", "/flowcast/api/admin/pools/spot", pool.replace("\"vcpu\": 8", "\"vcpu\": -8"));
    ResponseEntity<String> missing = put("demo", "/flowcast/api/admin/pools/spot", "{\"vcpu\": 8}");
    ResponseEntity<String> unknown = put("demo", "/flowcast/api/admin/pools/moon", pool);
    ResponseEntity<String> byAdmin = put("demo", "/flowcast/api/admin/pools/spot", pool);

    assertThat(byAlice.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(negative.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(missing.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(unknown.getBody()).contains("unknown pool 'moon'");
    assertThat(byAdmin.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(catalog.pools().get("spot").capacity().vcpu()).isEqualTo(8);
  }

  @Test
  void shouldProtectTheEngineRestApiWithTheEnginesUsers() {
    ResponseEntity<String> anonymous = rest.getForEntity("/engine-rest/process-definition", String.class);
    ResponseEntity<String> asDemo = rest.withBasicAuth("demo", "demo").getForEntity("/engine-rest/process-definition", String.class);
    ResponseEntity<String> engines = rest.getForEntity("/engine-rest/engine", String.class);

    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(asDemo.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(engines.getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void shouldServeTheResourceProfile() throws Exception {
    JsonNode profile = json.readTree(rest.withBasicAuth("bob", "bob").getForObject("/flowcast/api/resources/profile", String.class));

    assertThat(profile.get("stale").asBoolean()).isFalse();
    JsonNode cpu = profile.get("kinds").get("cpu");
    assertThat(cpu.get("unit").asText()).isEqualTo("vCPU");
    assertThat(cpu.get("capacity").asDouble()).isEqualTo(8);
    assertThat(cpu.get("available").asDouble()).isCloseTo(7.2, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(cpu.get("projected").get("15m").has("expected")).isTrue();
    assertThat(cpu.get("projected").get("15m").has("upper")).isTrue();
    assertThat(profile.get("kinds").fieldNames()).toIterable().containsExactlyInAnyOrder("cpu", "memory", "network", "disk");
    assertThat(profile.get("pools").findValuesAsText("name")).contains("spot", "on-demand");
    assertThat(profile.get("pools").get(0).has("pricePerVcpuHour")).isTrue();
    assertThat(profile.get("pools").get(0).has("interruptionRatePerHour")).isTrue();
  }

  @Test
  void shouldServeHealthPrometheusAndCockpit() {
    assertThat(rest.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(rest.getForObject("/actuator/prometheus", String.class))
        .contains("jvm_memory_used_bytes", "flowcast_resource_available{kind=\"cpu\",unit=\"vCPU\"} 7.2",
            "flowcast_pool_available{kind=\"cpu\",pool=\"spot\"");
    assertThat(rest.getForEntity("/camunda/app/cockpit/default/", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  private ResponseEntity<String> post(String user, String body) {
    return rest.withBasicAuth(user, user)
        .postForEntity("/flowcast/api/requests", new HttpEntity<>(body, jsonHeaders()), String.class);
  }

  private ResponseEntity<String> put(String user, String path, String body) {
    return rest.withBasicAuth(user, user).exchange(path, HttpMethod.PUT, new HttpEntity<>(body, jsonHeaders()), String.class);
  }

  private static HttpHeaders jsonHeaders() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return headers;
  }
}
