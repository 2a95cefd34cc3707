package dev.flowcast.adaptive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Table {@code flowcast_step}: written inside the engine's transactions by the step listeners. */
class StepLog {

  private static final String COLUMNS =
      "id, process_instance_id, process_definition_id, step_id, component, pool, state, started_at, ended_at,"
          + " vcpu, memory_mb, cost";

  private final JdbcClient jdbc;

  StepLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void started(StepRun run, String profileJson) {
    jdbc.sql("insert into flowcast_step (" + COLUMNS + ", profile) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(run.id(), run.processInstanceId(), run.processDefinitionId(), run.stepId(), run.component(),
            run.pool(), run.state().name(), Timestamp.from(run.startedAt()), null, run.vcpu(), run.memoryMb(),
            null, profileJson)
        .update();
  }

  /** A run as it ended, with what was free when it started (JSON, null when not recorded). */
  record Ended(StepRun run, String profileAtStart) {}

  /** Closes the instance's running row of this step; empty when there was none (started before this plugin). */
  Optional<Ended> ended(String processInstanceId, String stepId, StepRun.State state, Instant endedAt,
      Function<StepRun, Double> cost) {
    return jdbc.sql("select " + COLUMNS + ", profile from flowcast_step"
            + " where process_instance_id = ? and step_id = ? and state = 'RUNNING'")
        .params(processInstanceId, stepId)
        .query((rs, row) -> new Ended(run(rs, row), rs.getString("profile")))
        .optional()
        .map(running -> {
          StepRun unpriced = running.run().endedAs(state, endedAt, null);
          StepRun ended = unpriced.endedAs(state, endedAt, cost.apply(unpriced));
          jdbc.sql("update flowcast_step set state = ?, ended_at = ?, duration_ms = ?, cost = ? where id = ?")
              .params(state.name(), Timestamp.from(endedAt), ended.elapsedAt(endedAt).toMillis(), ended.cost(),
                  ended.id())
              .update();
          return new Ended(ended, running.profileAtStart());
        });
  }

  /** The step's latest run, cancelled for a failure of its work: counted as failed, not as slow evidence. */
  void failedInstead(String processInstanceId, String stepId) {
    jdbc.sql("""
            update flowcast_step set state = 'FAILED' where id = (
              select id from flowcast_step where process_instance_id = ? and step_id = ? and state = 'CANCELLED'
              order by ended_at desc fetch first 1 rows only)""")
        .params(processInstanceId, stepId)
        .update();
  }

  /** Of a component's latest ended runs: how many, and how many of them failed. */
  record Outcomes(int ended, int failed) {}

  /** Per component, its latest ended runs (completed or failed, at most {@code window}). */
  Map<String, Outcomes> recentOutcomes(int window) {
    Map<String, Outcomes> outcomes = new LinkedHashMap<>();
    jdbc.sql("""
            select component, count(*) as ended, sum(case when state = 'FAILED' then 1 else 0 end) as failed from (
              select component, state,
                     row_number() over (partition by component order by ended_at desc) as recency
              from flowcast_step where state in ('COMPLETED', 'FAILED')) latest
            where recency <= ? group by component""")
        .param(window)
        .query((ResultSet rs) -> {
          outcomes.put(rs.getString("component"), new Outcomes(rs.getInt("ended"), rs.getInt("failed")));
        });
    return outcomes;
  }

  List<StepRun> runsOf(String processInstanceId) {
    return jdbc.sql("select " + COLUMNS + " from flowcast_step where process_instance_id = ? order by started_at")
        .param(processInstanceId)
        .query(StepLog::run)
        .list();
  }

  /** Runs without an end yet, and runs cancelled since {@code since}: both say "at least this long". */
  List<StepRun> unfinished(Instant since) {
    return jdbc.sql("select " + COLUMNS + " from flowcast_step where state = 'RUNNING'"
            + " or (state = 'CANCELLED' and ended_at >= ?)")
        .param(Timestamp.from(since))
        .query(StepLog::run).list();
  }

  /** Per component, the durations of its latest completed runs, newest first, at most {@code window}. */
  Map<String, List<Duration>> recentDurations(int window) {
    Map<String, List<Duration>> durations = new LinkedHashMap<>();
    jdbc.sql("""
            select component, duration_ms from (
              select component, duration_ms, ended_at,
                     row_number() over (partition by component order by ended_at desc) as recency
              from flowcast_step where state = 'COMPLETED') latest
            where recency <= ? order by component, ended_at desc""")
        .param(window)
        .query((ResultSet rs) -> {
          durations.computeIfAbsent(rs.getString("component"), c -> new ArrayList<>())
              .add(Duration.ofMillis(rs.getLong("duration_ms")));
        });
    return durations;
  }

  private static StepRun run(ResultSet rs, int row) throws SQLException {
    Timestamp ended = rs.getTimestamp("ended_at");
    double cost = rs.getDouble("cost");
    Double costOrNull = rs.wasNull() ? null : cost;
    return new StepRun(rs.getString("id"), rs.getString("process_instance_id"), rs.getString("process_definition_id"),
        rs.getString("step_id"), rs.getString("component"), rs.getString("pool"),
        StepRun.State.valueOf(rs.getString("state")), rs.getTimestamp("started_at").toInstant(),
        ended == null ? null : ended.toInstant(), rs.getDouble("vcpu"), rs.getDouble("memory_mb"), costOrNull);
  }
}
