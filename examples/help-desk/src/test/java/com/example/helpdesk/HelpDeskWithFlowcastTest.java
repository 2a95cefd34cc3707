package com.example.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The help desk as it runs: its own migration and Flowcast's both applied, each in its own
 * history; its agent asks Flowcast for the intent answer-ticket, Flowcast composes it from the help
 * desk's own template and component, and the instance completes, its work done by the help desk's
 * own delegate. The machine Flowcast measures is a steady one ({@link SteadyMachine}): what fits
 * must not depend on what else the build machine is doing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:help-desk;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000"})
@Import(HelpDeskWithFlowcastTest.SteadyMachine.class)
class HelpDeskWithFlowcastTest {

  /** Generous: the job executor runs the composed steps on a machine shared with other builds. */
  static final Duration COMPLETION = Duration.ofMinutes(2);

  @Autowired TestRestTemplate http;
  @Autowired HistoryService history;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldComposeTheHelpDesksOwnIntentAndCompleteIt() throws InterruptedException {
    // given: both schemas, each in its own history
    assertThat(scripts("flyway_schema_history")).containsExactly("V1__help_desk_tickets.sql");
    assertThat(scripts("flowcast_schema_history")).contains("V1__flowcast_reservations_and_decisions.sql")
        .doesNotContain("V1__help_desk_tickets.sql");

    // when: the agent asks for a ticket to be answered
    ResponseEntity<Map> answer = http.withBasicAuth("agent", "agent").postForEntity("/flowcast/api/requests",
        Map.of("intent", "answer-ticket", "parameters", Map.of("ticket", "T-1042")), Map.class);

    // then: composed from the help desk's template and component, started, and completed
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(answer.getBody()).as("the answer").containsEntry("status", "STARTED");
    assertThat(answer.getBody().toString()).contains("triage-ticket");
    String instance = (String) answer.getBody().get("processInstanceId");
    HistoricProcessInstance ended = waitForEnd(instance);
    assertThat(ended.getState()).isEqualTo(HistoricProcessInstance.STATE_COMPLETED);
    assertThat(jdbc.sql("select ticket from help_desk_ticket").query(String.class).list()).containsExactly("T-1042");
  }

  private HistoricProcessInstance waitForEnd(String processInstanceId) throws InterruptedException {
    Instant deadline = Instant.now().plus(COMPLETION);
    while (Instant.now().isBefore(deadline)) {
      HistoricProcessInstance instance =
          history.createHistoricProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
      if (instance != null && instance.getEndTime() != null) {
        return instance;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("instance " + processInstanceId + " did not end within " + COMPLETION);
  }

  /** Flowcast's measurements of this machine, replaced as any of its beans can be: 8 cores, 10% busy. */
  @TestConfiguration(proxyBeanMethods = false)
  static class SteadyMachine {

    @Bean
    MetricsSource steadyMachine(Clock clock) {
      return new MetricsSource() {
        @Override
        public ResourceSample sample() {
          return new ResourceSample(clock.instant(), 8, 0.8, 32_768, 3_276.8, 1000, 1e5, 1e5, 3000, 1e5, 1e5, 30, 30);
        }

        @Override
        public String name() {
          return "steady-machine";
        }
      };
    }
  }

  private List<String> scripts(String historyTable) {
    return jdbc.sql("select \"script\" from \"" + historyTable + "\" where \"success\" and \"type\" = 'SQL'"
        + " order by \"installed_rank\"").query(String.class).list();
  }
}
