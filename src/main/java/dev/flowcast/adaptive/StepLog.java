package dev.flowcast.adaptive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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

  /**
   * Per component: the durations of its latest completed runs (at most {@code window}, in no
   * particular order), and how many of its latest ended runs (completed or failed, at most
   * {@code window}) failed.
   */
  record Recent(Map<String, List<Duration>> durations, Map<String, Outcomes> outcomes) {}

  /**
   * The latest runs of the given components. One query, but each part of it reads one component's
   * latest rows along the index on (component, state, ended_at desc): the cost does not grow with the
   * history in the table, as a ranking over every row would.
   */
  Recent recent(Collection<String> components, int window) {
    Map<String, List<Duration>> durations = new LinkedHashMap<>();
    Map<String, List<LatestRun>> ended = new HashMap<>();
    if (components.isEmpty()) {
      return new Recent(durations, Map.of());
    }
    List<String> parts = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (String component : components) {
      for (String state : List.of("COMPLETED", "FAILED")) {
        // ordered by every column of the index, so that H2 too reads the newest rows from it and stops
        parts.add("(select component, state, duration_ms, ended_at from flowcast_step"
            + " where component = ? and state = ? order by component, state, ended_at desc limit " + window + ")");
        params.add(component);
        params.add(state);
      }
    }
    jdbc.sql(String.join(" union all ", parts))
        .params(params)
        .query((ResultSet rs) -> {
          String component = rs.getString("component");
          boolean completed = "COMPLETED".equals(rs.getString("state"));
          Instant at = rs.getTimestamp("ended_at").toInstant();
          ended.computeIfAbsent(component, c -> new ArrayList<>()).add(new LatestRun(at, !completed));
          if (completed) {
            durations.computeIfAbsent(component, c -> new ArrayList<>()).add(Duration.ofMillis(rs.getLong("duration_ms")));
          }
        });
    Map<String, Outcomes> outcomes = new LinkedHashMap<>();
    ended.forEach((component, runs) -> {
      List<LatestRun> latest = runs.stream().sorted(Comparator.comparing(LatestRun::at).reversed()).limit(window).toList();
      outcomes.put(component, new Outcomes(latest.size(), (int) latest.stream().filter(LatestRun::failed).count()));
    });
    return new Recent(durations, outcomes);
  }

  private record LatestRun(Instant at, boolean failed) {}

  /** How many instance ids one query names at most: well within every database's limit on a list. */
  private static final int IDS_PER_QUERY = 500;

  /** The ids in slices that one query each can name. */
  static List<List<String>> slices(List<String> ids) {
    List<List<String>> slices = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      slices.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)));
    }
    return slices;
  }

  /** The runs of each of these instances, each instance's ordered by start: one query per 500 instances. */
  Map<String, List<StepRun>> runsOf(List<String> processInstanceIds) {
    Map<String, List<StepRun>> runs = new HashMap<>();
    for (List<String> slice : slices(processInstanceIds)) {
      jdbc.sql("select " + COLUMNS + " from flowcast_step where process_instance_id in ("
              + "?, ".repeat(slice.size() - 1) + "?) order by process_instance_id, started_at")
          .params(slice.toArray())
          .query(StepLog::run)
          .list()
          .forEach(run -> runs.computeIfAbsent(run.processInstanceId(), id -> new ArrayList<>()).add(run));
    }
    return runs;
  }

  List<StepRun> runsOf(String processInstanceId) {
    return jdbc.sql("select " + COLUMNS + " from flowcast_step where process_instance_id = ? order by started_at")
        .param(processInstanceId)
        .query(StepLog::run)
        .list();
  }

  /**
   * Per component, when its oldest run still running started, and the longest any of its runs went
   * before it was cancelled since a moment: both say "at least this long" ({@link #longestAt}).
   */
  record Unfinished(Map<String, Instant> oldestRunningSince, Map<String, Duration> longestCancelled) {

    /** Per component, the longest any of its runs has gone without an end by {@code now}. */
    Map<String, Duration> longestAt(Instant now) {
      Map<String, Duration> longest = new HashMap<>(longestCancelled);
      oldestRunningSince.forEach((component, since) ->
          longest.merge(component, Duration.between(since, now), StepLog::longer));
      return longest;
    }
  }

  /**
   * The runs without an end, and those cancelled since {@code since}. Worked out by the database,
   * one row per component: a scoring round reads this, and it must not get slower with the number of
   * steps running.
   */
  Unfinished unfinished(Instant since) {
    Map<String, Instant> running = new HashMap<>();
    jdbc.sql("select component, min(started_at) started_at from flowcast_step where state = 'RUNNING' group by component")
        .query((ResultSet rs) -> {
          running.put(rs.getString("component"), rs.getTimestamp("started_at").toInstant());
        });
    Map<String, Duration> cancelled = new HashMap<>();
    jdbc.sql("select component, max(duration_ms) duration_ms from flowcast_step"
            + " where state = 'CANCELLED' and ended_at >= ? group by component")
        .param(Timestamp.from(since))
        .query((ResultSet rs) -> {
          cancelled.put(rs.getString("component"), Duration.ofMillis(rs.getLong("duration_ms")));
        });
    return new Unfinished(running, cancelled);
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
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
