package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import dev.flowcast.activity.ActivityLog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Activity in through REST, predictions out, and a request without intent composing the top one. */
@FlowcastTest
class PredictionApiTest {

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired ActivityLog activity;
  @Autowired RuntimeService runtime;

  @AfterEach
  void cancelInstances() {
    runtime.createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(i -> runtime.deleteProcessInstance(i.getId(), "test cleanup"));
  }

  private ResponseEntity<String> post(String user, String path, String body, MediaType type) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(type);
    return rest.withBasicAuth(user, user).postForEntity(path, new HttpEntity<>(body, headers), String.class);
  }

  @Test
  void shouldRefuseABatchWithAnyInvalidEventWholeAndListEveryLine() throws Exception {
    int before = activity.recent("gina", 100).size();
    String ndjson = String.join("\n",
        "{\"time\": \"2026-11-24T10:00:00Z\", \"user\": \"gina\", \"action\": \"login\"}",
        "{\"time\": \"yesterday\", \"user\": \"gina\", \"action\": \"login\"}",
        "{\"time\": \"2026-11-24T10:01:00Z\", \"user\": \"gina\", \"action\": \"run-report\", \"attributes\": {\"rows\": \"many\"}}",
        "not json");

    ResponseEntity<String> answer = post("demo", "/flowcast/api/activity", ndjson, MediaType.valueOf("application/x-ndjson"));

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    JsonNode problems = json.readTree(answer.getBody()).get("problems");
    assertThat(problems.findValuesAsText("line")).containsExactly("2", "3", "4");
    assertThat(problems.get(0).get("reason").asText()).contains("'time' is not ISO-8601");
    assertThat(problems.get(1).get("reason").asText()).contains("attributes.rows must be a finite number");
    assertThat(activity.recent("gina", 100)).as("nothing of the batch").hasSize(before);
  }

  @Test
  void shouldLetUsersSendOnlyTheirOwnActivity() {
    String event = "[{\"time\": \"2026-11-24T10:00:00Z\", \"user\": \"alice\", \"action\": \"login\"}]";

    assertThat(post("bob", "/flowcast/api/activity", event, MediaType.APPLICATION_JSON).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(post("alice", "/flowcast/api/activity", event, MediaType.APPLICATION_JSON).getStatusCode())
        .isEqualTo(HttpStatus.CREATED);
  }

  @Test
  void shouldLearnFromIngestedActivityAndComposeTheTopPredictionWithoutIntent() throws Exception {
    // a habit in the log: after backing up, alice runs a report
    Instant start = Instant.now().minus(5, ChronoUnit.DAYS);
    List<String> lines = new ArrayList<>();
    for (int s = 0; s < 60; s++) {
      Instant t = start.plus(s * 2L, ChronoUnit.HOURS);
      lines.add(event(t, "alice", "login"));
      lines.add(event(t.plusSeconds(60), "alice", "backup-database"));
      lines.add(event(t.plusSeconds(120), "alice", "run-report"));
    }
    assertThat(post("demo", "/flowcast/api/activity", String.join("\n", lines), MediaType.valueOf("application/x-ndjson"))
        .getStatusCode()).isEqualTo(HttpStatus.CREATED);
    ResponseEntity<String> trained = post("demo", "/flowcast/api/models/intent/train", "", MediaType.APPLICATION_JSON);
    assertThat(trained.getStatusCode()).isEqualTo(HttpStatus.CREATED);

    // alice's latest action (now: later than any composition another test started as alice)
    post("alice", "/flowcast/api/activity", "[" + event(Instant.now(), "alice", "backup-database") + "]",
        MediaType.APPLICATION_JSON);
    JsonNode prediction = json.readTree(rest.withBasicAuth("alice", "alice").getForObject("/flowcast/api/predictions", String.class));

    JsonNode model = json.readTree(rest.withBasicAuth("demo", "demo").getForObject("/flowcast/api/models/intent", String.class)).get(0);
    JsonNode selection = model.get("description").get("selection");
    String winner = selection.get("winner").asText();
    assertThat(winner).as("a habit this plain: no model beats the chains, and a tie goes to the chain")
        .isIn("markov1Online", "markov2Online");
    assertThat(selection.get("validationTop1").get("xgboost").asDouble()).isLessThanOrEqualTo(selection.get("validationTop1").get(winner).asDouble());
    assertThat(selection.get("margin").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(prediction.get("source").asText()).as("the chosen predictor speaks").isEqualTo(winner);
    assertThat(prediction.get("modelVersion").asInt()).isEqualTo(model.get("version").asInt());
    JsonNode ranking = prediction.get("ranking");
    assertThat(ranking.get(0).get("intent").asText()).isEqualTo("run-report");
    double sum = 0;
    for (JsonNode entry : ranking) {
      sum += entry.get("probability").asDouble();
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));

    JsonNode composed = json.readTree(post("alice", "/flowcast/api/requests", "{\"intent\": null}", MediaType.APPLICATION_JSON).getBody());
    assertThat(composed.get("intent").asText()).isEqualTo("run-report");
    assertThat(composed.get("predictionSource").asText()).isEqualTo(winner);
  }

  @Test
  void shouldRefuseTrainingByNonAdminsAndPredictionsOfOthers() {
    assertThat(post("bob", "/flowcast/api/models/intent/train", "", MediaType.APPLICATION_JSON).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(rest.withBasicAuth("bob", "bob").getForEntity("/flowcast/api/predictions?user=alice", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
  }

  @Test
  void shouldImportACsvEventLogWithAColumnMapping() throws Exception {
    String csv = "session,step,at\nc1,open,2026-01-01 10:00:00\nc1,close,2026-01-01 10:05:00\n";

    ResponseEntity<String> answer = post("demo",
        "/flowcast/api/activity/import?caseColumn=session&activityColumn=step&timeColumn=at", csv, MediaType.valueOf("text/csv"));
    ResponseEntity<String> broken = post("demo",
        "/flowcast/api/activity/import?caseColumn=session&activityColumn=step&timeColumn=at", csv + "c2,open,tomorrow\n",
        MediaType.valueOf("text/csv"));

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(json.readTree(answer.getBody()).get("stored").asInt()).isEqualTo(2);
    assertThat(broken.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(broken.getBody()).contains("line 4");
  }

  private static String event(Instant time, String user, String action) {
    return "{\"time\": \"" + time + "\", \"user\": \"" + user + "\", \"action\": \"" + action + "\"}";
  }
}
