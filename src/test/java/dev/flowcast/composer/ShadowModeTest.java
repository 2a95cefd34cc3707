package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Shadow mode for one intent: its requests run the static binding, as a static process would,
 * while Flowcast still scores and logs what it would have chosen; the shadow report compares the
 * two. Other intents are composed as usual.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:shadow-mode;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "flowcast.intents.run-report.mode=shadow"})
class ShadowModeTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired DecisionLog decisions;
  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;

  @Test
  void shouldRunTheStaticBindingAndLogWhatFlowcastWouldHaveChosen() throws Exception {
    EngineFixture fixture = new EngineFixture(engine, composer, catalog);

    CompositionResult shadowed = fixture.compose("alice", "run-report");

    assertThat(shadowed.status()).isEqualTo(CompositionResult.Status.STARTED);
    assertThat(shadowed.chosen().workflow().tasks()).extracting(t -> t.component().name() + "@" + t.pool())
        .containsExactly("provision-on-demand@on-demand", "query-primary@on-demand", "render-report@on-demand",
            "notify-chat@on-demand");
    Decision decision = decisions.find(new DecisionQuery(null, shadowed.processInstanceId(), 10)).stream()
        .filter(d -> d.kind() == Decision.Kind.COMPOSITION).findFirst().orElseThrow();
    assertThat(decision.details()).containsEntry("shadow", true).containsKeys("static", "wouldBe");
    assertThat(decision.reason()).startsWith("shadow: ran the static binding").contains("Flowcast would have chosen");
    @SuppressWarnings("unchecked")
    Map<String, Object> wouldBe = (Map<String, Object>) decision.details().get("wouldBe");
    assertThat(wouldBe.get("steps").toString()).contains("spot");

    // and an intent not in shadow mode is composed as usual
    CompositionResult active = fixture.compose("alice", "scale-service");
    assertThat(decisions.find(new DecisionQuery(null, active.processInstanceId(), 10)).stream()
        .filter(d -> d.kind() == Decision.Kind.COMPOSITION).findFirst().orElseThrow().details())
        .doesNotContainKey("shadow");

    fixture.runJobs(shadowed.processInstanceId());
    JsonNode report = json.readTree(rest.withBasicAuth("demo", "demo")
        .getForObject("/flowcast/api/decisions/shadow-report?intent=run-report", String.class));

    assertThat(report.get("static").get("runs").asInt()).isEqualTo(1);
    assertThat(report.get("static").get("ended").asInt()).isEqualTo(1);
    assertThat(report.get("static").get("meanMeasuredSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(report.get("wouldBe").get("wouldHaveChosenDifferently").asInt()).isEqualTo(1);
    assertThat(report.get("wouldBe").get("meanProjectedCost").asDouble())
        .isLessThan(report.get("static").get("meanProjectedCost").asDouble());
    assertThat(List.of(report.get("intent").asText())).containsExactly("run-report");
  }
}
