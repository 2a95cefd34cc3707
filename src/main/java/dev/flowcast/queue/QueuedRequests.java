package dev.flowcast.queue;

import dev.flowcast.adaptive.BuiltInProcessListener;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The requests waiting in the {@code flowcast-queue} process, by deadline, in a table of Flowcast's
 * own ({@code flowcast_queued_request}), so that a request's turn is an index range count rather
 * than a count over the engine's instances joined with their variables. The queue process's
 * built-in start and end listener (given by the engine plugin, so {@code skipCustomListeners} does
 * not skip it) adds a row in the transaction that queues a request and removes it in the one that
 * ends its queue instance, however it ends.
 */
final class QueuedRequests implements BuiltInProcessListener {

  private static final Logger log = LoggerFactory.getLogger(QueuedRequests.class);

  /** Instances whose variables are read in one query when the table is filled at start. */
  private static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final Clock clock;

  QueuedRequests(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public String processDefinitionKey() {
    return ProcessKeys.QUEUE;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (EVENTNAME_START.equals(execution.getEventName())) {
      Date deadline = ProcessVariables.date(execution, ProcessVariables.DEADLINE);
      if (deadline != null) {
        // without a deadline the request expires at its first timer: it never takes a turn
        add(execution.getProcessInstanceId(), deadline, Timestamp.from(clock.instant()),
            ProcessVariables.string(execution, ProcessVariables.INTENT),
            ProcessVariables.string(execution, ProcessVariables.USER));
      }
    } else if (EVENTNAME_END.equals(execution.getEventName())) {
      unlist(execution.getProcessInstanceId());
    }
  }

  /**
   * How many waiting requests have a deadline before this one and not yet passed. A request whose
   * deadline has passed expires at its timer without composing: it does not hold a later one back.
   */
  long earlierThan(Date deadline) {
    return jdbc.sql("select count(*) from flowcast_queued_request where deadline >= ? and deadline < ?")
        .param(Timestamp.from(clock.instant())).param(new Timestamp(deadline.getTime()))
        .query(Long.class).single();
  }

  /**
   * The timer of the waiting request with the earliest deadline whose timer is not due yet (a timer
   * that is due fires on its own; one locked is firing), walked in the deadline index's order.
   *
   * @param jobs the engine's table of jobs, by the name the engine gives it
   */
  Optional<String> earliestTimerNotDue(String jobs, Instant now) {
    return jdbc.sql(String.format(Locale.ROOT, """
            select J.ID_ from flowcast_queued_request Q join %s J on J.PROCESS_INSTANCE_ID_ = Q.process_instance_id
             where J.TYPE_ = 'timer' and J.DUEDATE_ > ? and J.LOCK_OWNER_ is null
             order by Q.deadline, Q.process_instance_id
             fetch first 1 rows only""", jobs))
        .param(Timestamp.from(now)).query(String.class).optional();
  }

  /**
   * Makes the table list exactly the queue's waiting requests: adds those queued before it existed
   * (or by a version that did not keep it) and removes rows whose queue instance has ended (one left
   * by such a version). Run at start, before the job executor composes. The rows are read before the
   * instances: a row read whose instance is then gone was left behind (an instance and its row are
   * added in one transaction, and ended in one); rows another node adds meanwhile are left as they are.
   */
  void matchTheQueue(RuntimeService runtime) {
    Set<String> listed =
        new HashSet<>(jdbc.sql("select process_instance_id from flowcast_queued_request").query(String.class).list());
    Set<String> waiting = new HashSet<>(runtime.createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE)
        .list().stream().map(ProcessInstance::getId).toList());
    int removed = 0;
    for (String id : listed) {
      if (!waiting.contains(id)) {
        removed += unlist(id);
      }
    }
    List<String> missing = waiting.stream().filter(id -> !listed.contains(id)).toList();
    int added = 0;
    for (int from = 0; from < missing.size(); from += BATCH) {
      List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
      Map<String, Map<String, Object>> variables = new HashMap<>();
      for (VariableInstance variable : runtime.createVariableInstanceQuery()
          .processInstanceIdIn(batch.toArray(String[]::new))
          .variableNameIn(ProcessVariables.DEADLINE, ProcessVariables.INTENT, ProcessVariables.USER)
          .disableBinaryFetching().list()) {
        variables.computeIfAbsent(variable.getProcessInstanceId(), id -> new HashMap<>())
            .put(variable.getName(), variable.getValue());
      }
      for (String id : batch) {
        Map<String, Object> of = variables.getOrDefault(id, Map.of());
        if (of.get(ProcessVariables.DEADLINE) instanceof Date deadline) {
          try {
            add(id, deadline, null, text(of.get(ProcessVariables.INTENT)), text(of.get(ProcessVariables.USER)));
            added++;
          } catch (DuplicateKeyException e) {
            // another node starting at the same time added it
          }
        }
      }
    }
    if (added > 0 || removed > 0) {
      log.info("FLOWCAST-395 flowcast_queued_request matched to the queue: {} waiting requests added, {} ended ones removed",
          added, removed);
    }
  }

  private void add(String processInstanceId, Date deadline, Timestamp queuedAt, String intent, String user) {
    jdbc.sql("insert into flowcast_queued_request (process_instance_id, deadline, queued_at, intent, user_id)"
            + " values (?, ?, ?, ?, ?)")
        .param(processInstanceId).param(new Timestamp(deadline.getTime()))
        .param(new SqlParameterValue(Types.TIMESTAMP, queuedAt))
        .param(new SqlParameterValue(Types.VARCHAR, intent)).param(new SqlParameterValue(Types.VARCHAR, user))
        .update();
  }

  private int unlist(String processInstanceId) {
    return jdbc.sql("delete from flowcast_queued_request where process_instance_id = ?").param(processInstanceId)
        .update();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
