package dev.flowcast.capacity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The latest size the planner wants per pool, in {@code flowcast_pool_target}: every node reports
 * the same desired size (the KEDA endpoint, the gauges), whichever node planned it.
 */
final class PoolTargets {

  /** What the planner wanted for a pool, and when. */
  record Target(String pool, int desiredUnits, String planner, Instant decidedAt) {}

  private final JdbcClient jdbc;

  PoolTargets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void record(String pool, int desiredUnits, String planner, Instant at) {
    int updated = jdbc.sql("update flowcast_pool_target set desired_units = ?, planner = ?, decided_at = ? where pool = ?")
        .params(desiredUnits, planner, Timestamp.from(at), pool).update();
    if (updated == 0) {
      // only the lease holder writes: no other node inserts the same pool meanwhile
      jdbc.sql("insert into flowcast_pool_target (pool, desired_units, planner, decided_at) values (?, ?, ?, ?)")
          .params(pool, desiredUnits, planner, Timestamp.from(at)).update();
    }
  }

  Map<String, Target> all() {
    Map<String, Target> targets = new LinkedHashMap<>();
    jdbc.sql("select pool, desired_units, planner, decided_at from flowcast_pool_target order by pool")
        .query(rs -> {
          targets.put(rs.getString("pool"), new Target(rs.getString("pool"), rs.getInt("desired_units"),
              rs.getString("planner"), rs.getTimestamp("decided_at").toInstant()));
        });
    return targets;
  }
}
