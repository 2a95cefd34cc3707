package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Composed processes and task components started past the composer, the way Camunda users start
 * processes (the engine's REST API that Tasklist and Cockpit use), still hold capacity the composer
 * sees, and say who started them.
 */
@FlowcastTest
class DirectStartTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired ReservationLedger ledger;
  @Autowired DecisionLog decisions;
  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
  }

  @Test
  void shouldReserveAndLogAComposedProcessStartedThroughTheEngineRestApi() throws Exception {
    // given a composition alice made (its definition deployed)
    CompositionResult composed = fixture.compose("alice", "run-report");
    Map<String, ResourceDemand> composedHolds = ledger.heldBy(composed.processInstanceId());

    // when alice starts the same definition herself, through the engine's REST API
    String started = startThroughEngineRest("alice", composed.processDefinitionId());

    // then it holds what the composed start holds, and the log says who started it how
    assertThat(ledger.heldBy(started)).isEqualTo(composedHolds).isNotEmpty();
    Decision direct = only(started, Decision.Kind.DIRECT_START);
    assertThat(direct.user()).isEqualTo("alice");
    assertThat(direct.intent()).isEqualTo("run-report");
    assertThat(direct.reason()).contains("without the composer");
    // and the composer's own start is not mistaken for one
    assertThat(kinds(composed.processInstanceId())).doesNotContain(Decision.Kind.DIRECT_START);
  }

  @Test
  void shouldReleaseWhatADirectlyStartedInstanceHeldWhenItEnds() throws Exception {
    CompositionResult composed = fixture.compose("alice", "run-report");
    String started = startThroughEngineRest("alice", composed.processDefinitionId());

    fixture.runJobs(started);

    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(started)
        .singleResult().getState()).isEqualTo("COMPLETED");
    assertThat(ledger.heldBy(started)).isEmpty();
    // the components its steps called were the steps' own: no start of theirs is counted again
    assertThat(decisions.find(new DecisionQuery(null, null, 1000)).stream()
        .filter(d -> d.kind() == Decision.Kind.DIRECT_START).map(Decision::processInstanceId))
        .containsOnly(started);
  }

  @Test
  void shouldReserveATaskComponentStartedOnItsOwnInItsPool() throws Exception {
    String definitionId = engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey("component-provision-spot").latestVersion().singleResult().getId();

    String started = startThroughEngineRest("alice", definitionId);

    assertThat(ledger.heldBy(started)).containsOnlyKeys("spot");
    assertThat(ledger.heldBy(started).get("spot").vcpu()).isPositive();
    assertThat(only(started, Decision.Kind.DIRECT_START).user()).isEqualTo("alice");
    fixture.runJobs(started);
    assertThat(ledger.heldBy(started)).isEmpty();
  }

  private String startThroughEngineRest(String user, String definitionId) throws Exception {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    ResponseEntity<String> answer = rest.withBasicAuth(user, user).postForEntity(
        "/engine-rest/process-definition/" + definitionId + "/start", new HttpEntity<>("{}", headers), String.class);
    assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(HttpStatus.OK);
    JsonNode instance = json.readTree(answer.getBody());
    return instance.get("id").asText();
  }

  private Decision only(String processInstanceId, Decision.Kind kind) {
    List<Decision> found = decisions.find(new DecisionQuery(null, processInstanceId, 100)).stream()
        .filter(d -> d.kind() == kind).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private List<Decision.Kind> kinds(String processInstanceId) {
    return decisions.find(new DecisionQuery(null, processInstanceId, 100)).stream().map(Decision::kind).toList();
  }
}
