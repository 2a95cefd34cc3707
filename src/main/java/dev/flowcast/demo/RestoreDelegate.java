package dev.flowcast.demo;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: restoring rebuilds the read replica ({@code demo_orders_replica}, a second table
 * standing in for a replica server) from the last full snapshot and the increments after it, up to
 * {@code snapshotId} (the newest when absent). Output {@code restoredRows}.
 */
class RestoreDelegate extends DemoStep {

  /**
   * Each order's newest row among snapshots {@code ?..?} (the full one and the increments after it),
   * looked up per order through {@code demo_snapshot_order_by_order}.
   */
  static final String REBUILD_REPLICA =
      "insert into demo_orders_replica (id, region, amount, created_at)"
          + " select order_id, region, amount, created_at from demo_snapshot_order s"
          + " where s.snapshot_id between ? and ?"
          + " and s.snapshot_id = (select max(t.snapshot_id) from demo_snapshot_order t"
          + "   where t.order_id = s.order_id and t.snapshot_id between ? and ?)";

  private final JdbcClient jdbc;

  RestoreDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  void run(Map<String, Object> in, Map<String, Object> out, Turn turn) {
    DemoData.lockReplica(jdbc, turn);
    long newest = jdbc.sql("select coalesce(max(id), 0) from demo_snapshot").query(Long.class).single();
    long snapshotId = number(in, "snapshotId", newest);
    long fullId =
        jdbc.sql("select coalesce(max(id), 0) from demo_snapshot where mode = 'full' and id <= ?")
            .param(snapshotId)
            .query(Long.class)
            .single();
    jdbc.sql("delete from demo_orders_replica").update();
    int restored = jdbc.sql(REBUILD_REPLICA).params(fullId, snapshotId, fullId, snapshotId).update();
    out.put("restoredRows", (long) restored);
  }
}
