package dev.flowcast.demo;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: replication streams the orders the replica lacks from {@code demo_orders} to
 * {@code demo_orders_replica}, as real SQL. Output {@code replicatedRows}.
 */
class ReplicateDelegate extends DemoStep {

  private final JdbcClient jdbc;

  ReplicateDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  void run(Map<String, Object> in, Map<String, Object> out, Turn turn) {
    DemoData.lockReplica(jdbc, turn);
    long replicated =
        jdbc.sql(
                "insert into demo_orders_replica (id, region, amount, created_at)"
                    + " select id, region, amount, created_at from demo_orders"
                    + " where id > (select coalesce(max(id), 0) from demo_orders_replica)")
            .update();
    out.put("replicatedRows", replicated);
  }
}
