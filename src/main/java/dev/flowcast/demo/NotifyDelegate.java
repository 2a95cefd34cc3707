package dev.flowcast.demo;

import dev.flowcast.config.ProcessVariables;
import java.sql.Timestamp;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: a notification is written to the outbox table {@code demo_notification} (input
 * {@code channel}: email or chat), where a real system's mailer or chat bot would pick it up.
 */
class NotifyDelegate implements JavaDelegate {

  private final JdbcClient jdbc;

  NotifyDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String message =
        ProcessVariables.string(execution, ProcessVariables.INTENT) + " finished for "
            + ProcessVariables.string(execution, ProcessVariables.USER)
            + " (decision " + ProcessVariables.string(execution, ProcessVariables.DECISION_ID) + ")";
    jdbc.sql("insert into demo_notification (channel, recipient, message, created_at) values (?, ?, ?, ?)")
        .params(
            ProcessVariables.string(execution, "channel"),
            ProcessVariables.string(execution, ProcessVariables.USER),
            message,
            Timestamp.from(Instant.now()))
        .update();
  }
}
