package com.example.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
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
 * The help desk as it runs: its own migrations and Flowcast's all applied, each in its own
 * history; the worker processes it starts (provider {@code local-workers}, one per pool) are live;
 * its agent asks Flowcast for the intent answer-ticket, Flowcast composes it from the help desk's
 * own template and component, and the instance completes: its external task done by one of those
 * workers, with the help desk's own work ({@link ClassifyTicket}), then its delegate. The machine
 * Flowcast measures is a steady one ({@link SteadyMachine}): what fits must not depend on what else
 * the build machine is doing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:help-desk;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000"})
@Import(HelpDeskWithFlowcastTest.SteadyMachine.class)
class HelpDeskWithFlowcastTest {

  /** Generous: the job executor runs the composed steps on a machine shared with other builds. */
  static final Duration COMPLETION = Duration.ofMinutes(2);
  /** Generous too: three worker JVMs start beside the application, on the same busy machine. */
  static final Duration WORKERS_START = Duration.ofMinutes(4);
  static final List<String> POOLS = List.of("on-demand", "reserved", "spot");

  @Autowired TestRestTemplate http;
  @Autowired HistoryService history;
  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldComposeTheHelpDesksOwnIntentAndCompleteIt() throws InterruptedException {
    // given: both schemas, each in its own history
    assertThat(scripts("flyway_schema_history")).containsExactly("V1__help_desk_tickets.sql",
        "V2__help_desk_ticket_queue.sql");
    assertThat(scripts("flowcast_schema_history")).contains("V1__flowcast_reservations_and_decisions.sql")
        .doesNotContain("V1__help_desk_tickets.sql");
    // and: Camunda's auto-deployment, on as by default, deployed none of Flowcast's processes as the
    // help desk's own: the queue process is only in Flowcast's own deployment
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey("flowcast-queue").list())
        .extracting(queue -> repository.createDeploymentQuery().deploymentId(queue.getDeploymentId()).singleResult().getName())
        .containsExactly("flowcast-queue");
    // and: a live worker in every pool, each a process this application started
    Map<String, Object> workers = waitForLiveWorkersInEveryPool();
    // and: the composer counts them: the elastic pools' ready units, as the planner and the composer
    // read them (a pool's size is read again at most once per refresh, a moment after its worker is live)
    waitForReadyUnitsInEveryElasticPool();

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
    assertThat(jdbc.sql("select ticket || ' ' || queue from help_desk_ticket").query(String.class).list())
        .containsExactly("T-1042 first-line");
    // and: the classification was an external task, completed by a local worker of the step's pool (the
    // completion is recorded once the engine has taken it, a moment after the instance may have ended)
    Map<String, Object> run = eventually("the step run's completion recorded", COMPLETION, () -> jdbc.sql(
            "select pool, first_worker, completed_by from flowcast_step_run where instance_id = ?"
                + " and component = 'triage-ticket' and completed_by is not null")
        .param(instance).query().listOfRows().stream().findFirst());
    assertThat((String) run.get("completed_by")).as("the worker that completed it, of %s", workers)
        .isEqualTo(run.get("first_worker")).startsWith("local-" + run.get("pool") + "-");
  }

  /** Flowcast's list of live workers, as an operator reads it, once every pool has one. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> waitForLiveWorkersInEveryPool() throws InterruptedException {
    return eventually("a live worker in each pool of " + POOLS, WORKERS_START, () -> {
      ResponseEntity<Map> answer = http.withBasicAuth("admin", "admin").getForEntity("/flowcast/api/workers", Map.class);
      assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
      Map<String, Map<String, Object>> pools = (Map<String, Map<String, Object>>) answer.getBody().get("pools");
      return Optional.of((Map<String, Object>) answer.getBody()).filter(all -> POOLS.stream().allMatch(pool ->
          pools.containsKey(pool) && ((Number) pools.get(pool).get("liveWorkers")).intValue() >= 1));
    });
  }

  /** The elastic pools' sizes, as the planner and the composer read them, once every one has a ready unit. */
  @SuppressWarnings("unchecked")
  private void waitForReadyUnitsInEveryElasticPool() throws InterruptedException {
    eventually("a ready unit in each elastic pool", WORKERS_START, () -> {
      ResponseEntity<Map> answer = http.withBasicAuth("admin", "admin").getForEntity("/flowcast/api/capacity/pools", Map.class);
      assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
      Map<String, Map<String, Object>> pools = (Map<String, Map<String, Object>>) answer.getBody().get("pools");
      return Optional.of(pools).filter(elastic -> !elastic.isEmpty() && elastic.values().stream()
          .allMatch(pool -> pool.get("readyUnits") instanceof Number ready && ready.intValue() >= 1));
    });
  }

  private HistoricProcessInstance waitForEnd(String processInstanceId) throws InterruptedException {
    return eventually("the end of instance " + processInstanceId, COMPLETION, () -> Optional.ofNullable(
            history.createHistoricProcessInstanceQuery().processInstanceId(processInstanceId).singleResult())
        .filter(instance -> instance.getEndTime() != null));
  }

  /** What {@code probe} finds, polled until it finds it; fails after {@code patience}. */
  private static <T> T eventually(String what, Duration patience, Supplier<Optional<T>> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(patience);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not within " + patience + ": " + what);
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
