package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.demo.DemoFaults;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

/** Fault injection, interruption notices and one instance's decision timeline, over HTTP. */
@FlowcastTest
class AdaptiveApiTest {

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired DemoFaults faults;
  @Autowired InterruptionSignals interruptions;
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
    faults.active(Instant.now()).keySet().forEach(faults::end);
    interruptions.active(Instant.now()).keySet().forEach(interruptions::clear);
    fixture.cancelRunningInstances();
  }

  @Test
  void shouldInjectListAndEndASlowdown() throws Exception {
    ResponseEntity<String> injected = send("demo", HttpMethod.POST, "/flowcast/api/demo/faults",
        "{\"component\": \"render-report\", \"slowdownFactor\": 10, \"seconds\": 120}");

    assertThat(injected.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(json.readTree(injected.getBody()).get("slowdownFactor").asDouble()).isEqualTo(10.0);
    JsonNode active = json.readTree(send("demo", HttpMethod.GET, "/flowcast/api/demo/faults", null).getBody());
    assertThat(active.has("render-report")).isTrue();
    assertThat(send("demo", HttpMethod.DELETE, "/flowcast/api/demo/faults/render-report", null).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(send("demo", HttpMethod.DELETE, "/flowcast/api/demo/faults/render-report", null).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void shouldLetOnlyAdministratorsInjectFaults() {
    ResponseEntity<String> asOperator = send("alice", HttpMethod.POST, "/flowcast/api/demo/faults",
        "{\"component\": \"render-report\", \"slowdownFactor\": 10, \"seconds\": 120}");

    assertThat(asOperator.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(faults.active(Instant.now())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"component\": \"render-report\", \"slowdownFactor\": 0.5, \"seconds\": 120}",
    "{\"component\": \"render-report\", \"slowdownFactor\": 10, \"seconds\": 0}",
    "{\"component\": \"render-report\", \"slowdownFactor\": 10}",
    "{\"component\": \"render-report\", \"slowdownFactor\": \"fast\", \"seconds\": 1}",
    "{\"component\": \"render-report\", \"slowdownFactor\": 10, \"seconds\": 1, \"extra\": 1}",
    "{not json",
    ""
  })
  void shouldRefuseAMalformedFaultWith400AndInjectNothing(String body) throws Exception {
    ResponseEntity<String> answer = send("demo", HttpMethod.POST, "/flowcast/api/demo/faults", body);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).isNotBlank();
    assertThat(faults.active(Instant.now())).isEmpty();
  }

  @Test
  void shouldAnswer404ForAnUnknownComponent() throws Exception {
    ResponseEntity<String> answer = send("demo", HttpMethod.POST, "/flowcast/api/demo/faults",
        "{\"component\": \"render-everything\", \"slowdownFactor\": 10, \"seconds\": 60}");

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).contains("render-report-lite");
  }

  @Test
  void shouldTakeAnInterruptedPoolsFreeCapacityAwayUntilTheNoticeEnds() throws Exception {
    ResponseEntity<String> raised = send("demo", HttpMethod.POST, "/flowcast/api/admin/pools/spot/interruption",
        "{\"seconds\": 120, \"reason\": \"spot reclaim notice\"}");

    assertThat(raised.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(spotFreeVcpu()).isZero();
    assertThat(send("demo", HttpMethod.DELETE, "/flowcast/api/admin/pools/spot/interruption", null).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(spotFreeVcpu()).isPositive();
    assertThat(send("demo", HttpMethod.POST, "/flowcast/api/admin/pools/moon/interruption", null).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(send("demo", HttpMethod.POST, "/flowcast/api/admin/pools/spot/interruption", "{\"seconds\": -1}")
        .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(send("alice", HttpMethod.POST, "/flowcast/api/admin/pools/spot/interruption", null).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(interruptions.active(Instant.now())).isEmpty();
  }

  @Test
  void shouldGiveOneInstancesDecisionsAsATimelineOldestFirst() throws Exception {
    String id = fixture.compose("alice", "run-report").processInstanceId();
    fixture.runJobs(id);

    JsonNode timeline = json.readTree(send("alice", HttpMethod.GET,
        "/flowcast/api/decisions?processInstanceId=" + id, null).getBody());

    List<String> entries = new ArrayList<>();
    timeline.forEach(d -> entries.add(d.get("kind").asText() + " " + d.get("details").path("stepId").asText()));
    assertThat(entries).containsExactly("COMPOSITION ", "STEP step_1_provision", "STEP step_2_query",
        "STEP step_3_compute", "STEP step_4_notify");
    assertThat(timeline.get(1).get("reason").asText()).startsWith("step_1_provision on provision-spot@spot took");
    JsonNode profileAtStart = timeline.get(1).get("details").get("profileAtStart");
    assertThat(profileAtStart.isObject()).as("the profile at the step's start is a JSON object").isTrue();
    assertThat(profileAtStart.get("poolFreeVcpu").isNumber()).isTrue();
    ResponseEntity<String> drawn = send("alice", HttpMethod.GET, "/flowcast/api/decisions/timeline.svg?processInstanceId=" + id, null);
    assertThat(drawn.getHeaders().getContentType().toString()).startsWith("image/svg+xml");
    assertThat(drawn.getBody()).startsWith("<svg").contains("step_4_notify notify-chat@spot");
    assertThat(drawn.getBody().split("<rect", -1)).hasSize(5);
    assertThat(send("alice", HttpMethod.GET, "/flowcast/api/decisions/timeline.svg?processInstanceId=nope", null)
        .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  private double spotFreeVcpu() throws Exception {
    JsonNode profile = json.readTree(send("demo", HttpMethod.GET, "/flowcast/api/resources/profile", null).getBody());
    for (JsonNode pool : profile.get("pools")) {
      if (pool.get("name").asText().equals("spot")) {
        return pool.get("available").get("vcpu").asDouble();
      }
    }
    throw new AssertionError("no spot pool in " + profile);
  }

  private ResponseEntity<String> send(String user, HttpMethod method, String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return rest.withBasicAuth(user, user).exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }
}
