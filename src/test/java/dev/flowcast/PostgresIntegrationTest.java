package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.flowcast.adaptive.AdaptiveWatcher;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application on a real PostgreSQL (profile {@code postgres}, the database of a cluster):
 * Flowcast's migrations, its queries and locks, the engine's, end to end. Runs when
 * {@code FLOWCAST_TEST_POSTGRES_URL} names a database ({@code .ci/run} starts Debian's PostgreSQL
 * and sets it); skipped otherwise.
 */
@SpringBootTest(classes = FlowcastApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test", "postgres"})
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_POSTGRES_URL", matches = ".+")
@Import({IdleMachine.class, InProcessWorkers.class}) // about the database, not the machine: what is free must not depend on other load
class PostgresIntegrationTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> System.getenv("FLOWCAST_TEST_POSTGRES_URL"));
  }

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired AdaptiveWatcher watcher;
  @Autowired DecisionLog decisions;
  @Autowired JdbcClient jdbc;

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.cancelRunningInstances();
    jdbc.sql("delete from flowcast_step").update();
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    ClockUtil.reset();
  }

  @Test
  void shouldIndexTheEnginesDefinitionLookupByKeyAndVersion() {
    assertThat(jdbc.sql("select count(*) from pg_indexes where indexname = 'flowcast_idx_procdef_key_version'")
        .query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void shouldComposeRunAndMeasureEveryStep() {
    CompositionResult result = fixture.compose("alice", "run-report");
    ProcessInstance instance = fixture.instance(result.processInstanceId());

    fixture.runJobs(instance.getId());

    assertThat(instance).isEnded().hasPassed("step_1_provision", "step_4_notify");
    assertThat(jdbc.sql("select count(*) from flowcast_step where process_instance_id = ? and state = 'COMPLETED'")
        .param(instance.getId()).query(Long.class).single()).isEqualTo(4);
    assertThat(decisions.find(new DecisionQuery(null, instance.getId(), 50)))
        .extracting(Decision::kind).containsOnly(Decision.Kind.COMPOSITION, Decision.Kind.STEP).hasSize(5);
  }

  @Test
  void shouldRestartASlowStepOnItsAlternative() {
    Instant now = Instant.now();
    ClockUtil.setCurrentTime(Date.from(now));
    String id = fixture.compose("alice", "run-report").processInstanceId();
    fixture.runUntilRunning(id, "step_2_query");
    ClockUtil.setCurrentTime(Date.from(now.plusSeconds(60)));

    assertThat(watcher.check()).isEmpty();
    List<Decision> switched = watcher.check();

    assertThat(switched).extracting(Decision::status).containsExactly("RESTARTED");
    ProcessInstance instance = fixture.instance(id);
    fixture.runJobs(id);
    assertThat(instance).isEnded();
  }
}
