package dev.flowcast.demo;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: replication streams the orders the replica lacks from {@code demo_orders} to
 * {@code demo_orders_replica}, as real SQL. Output {@code replicatedRows}.
 */
class ReplicateDelegate implements JavaDelegate {

  private final JdbcClient jdbc;

  ReplicateDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    DemoData.lockReplica(jdbc);
    long replicated =
        jdbc.sql(
                "insert into demo_orders_replica (id, region, amount, created_at)"
                    + " select id, region, amount, created_at from demo_orders"
                    + " where id > (select coalesce(max(id), 0) from demo_orders_replica)")
            .update();
    execution.setVariable("replicatedRows", replicated);
  }
}
