package com.example.helpdesk;

import java.sql.Timestamp;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last step of the help desk's task component {@code component-triage-ticket}, on the engine's
 * job executor: the ticket is recorded as triaged, in the queue its classification (on a worker:
 * {@link ClassifyTicket}) chose.
 */
@Component("triageTicket")
public class TriageTicket implements JavaDelegate {

  private final JdbcClient jdbc;

  public TriageTicket(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    jdbc.sql("insert into help_desk_ticket (process_instance_id, ticket, queue, triaged_at) values (?, ?, ?, ?)")
        .params(execution.getProcessInstanceId(), String.valueOf(execution.getVariable("ticket")),
            String.valueOf(execution.getVariable("triageQueue")), Timestamp.from(Instant.now()))
        .update();
  }
}
