package dev.flowcast.demo;

import dev.flowcast.config.ProcessVariables;
import java.sql.Timestamp;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: provisioning, scaling out and releasing capacity. A real system would call a
 * cloud API and wait for it; here the request is recorded in {@code demo_capacity_event} and the
 * wait is simulated by the component's timer ({@link DemoPace}; inputs {@code action}, {@code pool}, {@code vcpu}).
 */
class CapacityDelegate implements JavaDelegate {

  private final JdbcClient jdbc;

  CapacityDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String action = ProcessVariables.string(execution, "action");
    String pool = ProcessVariables.string(execution, "pool");
    long vcpu = ProcessVariables.number(execution, "vcpu", 1);
    long instances = ProcessVariables.number(execution, "instances", 1);
    jdbc.sql("insert into demo_capacity_event (action, pool, vcpu, created_at) values (?, ?, ?, ?)")
        .params(action, pool, (double) vcpu * instances, Timestamp.from(Instant.now()))
        .update();
    execution.setVariable("capacityPool", pool);
  }
}
