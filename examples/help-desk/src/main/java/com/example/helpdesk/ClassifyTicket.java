package com.example.helpdesk;

import dev.flowcast.worker.StepWork;
import java.time.Duration;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The work of the external task {@code help-desk-classify@<pool>} of the help desk's component
 * {@code triage-ticket}: which queue a ticket goes to. A worker of the step's pool fetches the task
 * and starts its run; Flowcast then calls this bean, here in the help desk's application with its
 * data, once per step run, and the worker completes the task with what it returns (the component
 * declares {@code triageQueue} in {@code flowcast.outputs}).
 */
@Component
public class ClassifyTicket implements StepWork {

  static final String TOPIC = "help-desk-classify";

  private final JdbcClient jdbc;

  public ClassifyTicket(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean serves(String topic) {
    return topic.startsWith(TOPIC + "@");
  }

  @Override
  public Result run(String component, String topic, Map<String, Object> variables) {
    Object ticket = variables.get("ticket");
    if (ticket == null) {
      throw new StepFailedException("no ticket to classify (the request's parameter 'ticket')");
    }
    return new Result(Map.of("triageQueue", queueOf(ticket.toString(), variables.get("priority"))), Duration.ZERO);
  }

  /** Urgent tickets go to the on-call queue; one that comes back after a triage, to second line. */
  private String queueOf(String ticket, Object priority) {
    if ("urgent".equals(priority)) {
      return "on-call";
    }
    boolean seenBefore = jdbc.sql("select count(*) from help_desk_ticket where ticket = ?").param(ticket)
        .query(Long.class).single() > 0;
    return seenBefore ? "second-line" : "first-line";
  }
}
