package dev.flowcast.demo;

import java.util.Map;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: a snapshot of the order database is a real SQL copy into
 * {@code demo_snapshot_order} (input {@code mode}: {@code full}, or {@code incremental} for the
 * orders after the last snapshot). Outputs {@code snapshotId}, {@code snapshotRows}.
 */
class SnapshotDelegate extends DemoStep {

  private final JdbcClient jdbc;

  SnapshotDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  void run(Map<String, Object> in, Map<String, Object> out, Turn turn) {
    String mode = string(in, "mode");
    long after;
    if ("full".equals(mode)) {
      after = -1;
    } else if ("incremental".equals(mode)) {
      after = jdbc.sql("select coalesce(max(max_order), -1) from demo_snapshot").query(Long.class).single();
    } else {
      throw new IllegalArgumentException("input 'mode' must be full or incremental, not " + mode);
    }
    long maxOrder = jdbc.sql("select coalesce(max(id), 0) from demo_orders").query(Long.class).single();
    long rows = jdbc.sql("select count(*) from demo_orders where id > ?").param(after).query(Long.class).single();
    jdbc.sql("insert into demo_snapshot (mode, taken_at, row_count, max_order) values (?, ?, ?, ?)")
        .params(mode, Timestamp.from(Instant.now()), rows, maxOrder)
        .update();
    long snapshotId = jdbc.sql("select max(id) from demo_snapshot").query(Long.class).single();
    jdbc.sql(
            "insert into demo_snapshot_order (snapshot_id, order_id, region, amount, created_at)"
                + " select ?, id, region, amount, created_at from demo_orders where id > ?")
        .params(snapshotId, after)
        .update();
    out.put("snapshotId", snapshotId);
    out.put("snapshotRows", rows);
  }
}
