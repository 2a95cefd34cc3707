package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every step the plugin measures writes its row twice, and each write keeps every index of the
 * step log: the log has the indexes its queries read along, and no other (H2 here).
 */
@FlowcastTest
class StepIndexTest {

  @Autowired JdbcClient jdbc;

  @Test
  void shouldReadAComponentsLatestRunsAlongTheDescendingIndex() {
    assertThat(plan("select component, state, duration_ms, ended_at from flowcast_step"
        + " where component = 'render-report' and state = 'COMPLETED'"
        + " order by component, state, ended_at desc limit 50"))
        .contains("FLOWCAST_STEP_LATEST").doesNotContain("tableScan");
  }

  @Test
  void shouldReadRunningAndRecentlyCancelledStepsAlongTheStateIndex() {
    assertThat(plan("select component, max(duration_ms) from flowcast_step"
        + " where state = 'CANCELLED' and ended_at >= timestamp '2026-01-01 00:00:00' group by component"))
        .contains("FLOWCAST_STEP_STATE");
    assertThat(plan("select component, min(started_at) from flowcast_step where state = 'RUNNING' group by component"))
        .contains("FLOWCAST_STEP_STATE");
  }

  @Test
  void shouldCloseAnInstancesStepAlongTheInstanceIndex() {
    assertThat(plan("select id from flowcast_step where process_instance_id = 'p' and step_id = 's' and state = 'RUNNING'"))
        .contains("FLOWCAST_STEP_INSTANCE");
  }

  @Test
  void shouldKeepNoIndexThatNoQueryReads() {
    assertThat(jdbc.sql("select index_name from information_schema.indexes where table_name = 'FLOWCAST_STEP'"
            + " and index_type_name <> 'PRIMARY KEY'")
        .query(String.class).list())
        .containsExactlyInAnyOrder("FLOWCAST_STEP_INSTANCE", "FLOWCAST_STEP_LATEST", "FLOWCAST_STEP_STATE");
  }

  private String plan(String query) {
    return jdbc.sql("explain " + query).query(String.class).single();
  }
}
