package dev.flowcast.worker;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The step runs workers did, one row per run key (the external task's id): the first claim of a
 * run does its work; a later one (another worker, after the first died and its lock expired) gets
 * the recorded result instead, so the work of a run is done once.
 */
public class StepRuns {

  /** A step run as recorded. */
  public record StepRun(String runKey, String component, String pool, String instanceId, String stepId,
      String componentInstanceId, String firstWorker, int claims, String result, Instant claimedAt,
      String completedBy, Instant completedAt) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  /** How long a worker whose claim met another at the same moment waits before it asks again (and is counted). */
  static final Duration CLAIMED_MEANWHILE_RETRY = Duration.ofSeconds(1);

  public StepRuns(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Claims a run for a worker: true for the first claim (the caller does the work), false when the
   * run was claimed before (its claims counted).
   */
  boolean claim(String runKey, String component, String pool, String instanceId, String stepId,
      String componentInstanceId, String worker) {
    // counted first, inserted only when there is nothing to count: on PostgreSQL a failed insert
    // aborts the caller's transaction, so a later claim that tried the insert first could never be
    // counted (its worker was answered 500 at every try and the step never ended). Two first claims
    // at the same moment still meet at the key: the second is answered busy (whether the database
    // reports the key taken or gives up waiting for it), and its worker's next try is counted.
    int counted = jdbc.sql("update flowcast_step_run set claims = claims + 1 where run_key = ?").param(runKey).update();
    if (counted > 0) {
      return false;
    }
    try {
      jdbc.sql("insert into flowcast_step_run (run_key, component, pool, instance_id, step_id, component_instance_id,"
              + " first_worker, claims, claimed_at) values (?, ?, ?, ?, ?, ?, ?, 1, ?)")
          .params(runKey, component, pool, instanceId, stepId, componentInstanceId, worker, Timestamp.from(clock.instant()))
          .update();
    } catch (DuplicateKeyException | PessimisticLockingFailureException | QueryTimeoutException claimedMeanwhile) {
      // PostgreSQL reports the other claim's key once it commits; H2 gives up waiting for its row
      throw new StepWork.StepBusyException("another claim of this run was being recorded at the same moment",
          CLAIMED_MEANWHILE_RETRY);
    }
    return true;
  }

  void recordResult(String runKey, String result) {
    jdbc.sql("update flowcast_step_run set result = ? where run_key = ?").params(result, runKey).update();
  }

  /** The engine took the run's completion from this worker. */
  void completed(String runKey, String worker) {
    jdbc.sql("update flowcast_step_run set completed_by = ?, completed_at = ? where run_key = ? and completed_by is null")
        .params(worker, Timestamp.from(clock.instant()), runKey).update();
  }

  public Optional<StepRun> find(String runKey) {
    return jdbc.sql("select * from flowcast_step_run where run_key = ?").param(runKey).query(StepRuns::run).optional();
  }

  /** The runs of a composed instance's steps, in the order they were claimed. */
  public List<StepRun> ofInstance(String instanceId) {
    return jdbc.sql("select * from flowcast_step_run where instance_id = ? order by claimed_at, run_key")
        .param(instanceId).query(StepRuns::run).list();
  }

  private static StepRun run(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    Timestamp completedAt = rs.getTimestamp("completed_at");
    return new StepRun(rs.getString("run_key"), rs.getString("component"), rs.getString("pool"),
        rs.getString("instance_id"), rs.getString("step_id"), rs.getString("component_instance_id"),
        rs.getString("first_worker"), rs.getInt("claims"), rs.getString("result"),
        rs.getTimestamp("claimed_at").toInstant(), rs.getString("completed_by"),
        completedAt == null ? null : completedAt.toInstant());
  }
}
