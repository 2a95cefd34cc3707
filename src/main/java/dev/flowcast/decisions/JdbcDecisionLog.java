package dev.flowcast.decisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The decision log in table {@code flowcast_decision}, details as a JSON document. */
class JdbcDecisionLog implements DecisionLog {

  private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};
  private static final int MAX_REASON = 2000;

  /** Decisions logged, by kind and status: what a dashboard shows of them (e.g. switches by outcome). */
  static final String METRIC_DECISIONS = "flowcast.decisions";

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  JdbcDecisionLog(JdbcClient jdbc, ObjectMapper json, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.json = json;
    this.meters = meters;
  }

  @Override
  public void record(Decision decision) {
    jdbc.sql(
            """
            insert into flowcast_decision (id, decided_at, kind, status, user_id, intent,
              process_instance_id, process_definition_id, reason, details)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            decision.id(),
            Timestamp.from(decision.decidedAt()),
            decision.kind().name(),
            decision.status(),
            decision.user(),
            decision.intent(),
            decision.processInstanceId(),
            decision.processDefinitionId(),
            truncate(decision.reason()),
            write(decision.details()))
        .update();
    Runnable count = () -> meters.counter(METRIC_DECISIONS, "kind", decision.kind().name(),
        "status", decision.status() == null ? "" : decision.status()).increment();
    // counted once the decision is committed: a rolled-back one was never made
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          count.run();
        }
      });
    } else {
      count.run();
    }
  }

  @Override
  public List<Decision> find(DecisionQuery query) {
    StringBuilder sql = new StringBuilder("select * from flowcast_decision where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (query.user() != null) {
      sql.append(" and user_id = ?");
      params.add(query.user());
    }
    if (query.processInstanceId() != null) {
      sql.append(" and process_instance_id = ?");
      params.add(query.processInstanceId());
    }
    if (query.processDefinitionId() != null) {
      sql.append(" and process_definition_id = ?");
      params.add(query.processDefinitionId());
    }
    if (query.kind() != null) {
      sql.append(" and kind = ?");
      params.add(query.kind().name());
    }
    if (query.since() != null) {
      sql.append(" and decided_at >= ?");
      params.add(Timestamp.from(query.since()));
    }
    sql.append(" order by decided_at desc, id fetch first ").append(query.limit()).append(" rows only");
    return jdbc.sql(sql.toString())
        .params(params)
        .query(
            (rs, row) ->
                new Decision(
                    rs.getString("id"),
                    rs.getTimestamp("decided_at").toInstant(),
                    Decision.Kind.valueOf(rs.getString("kind")),
                    rs.getString("status"),
                    rs.getString("user_id"),
                    rs.getString("intent"),
                    rs.getString("process_instance_id"),
                    rs.getString("process_definition_id"),
                    rs.getString("reason"),
                    read(rs.getString("details"))))
        .list();
  }

  @Override
  public List<DecisionCount> count(String user, Instant since) {
    StringBuilder sql = new StringBuilder("select kind, status, count(*) as n from flowcast_decision where decided_at >= ?");
    List<Object> params = new ArrayList<>(List.of(Timestamp.from(since)));
    if (user != null) {
      sql.append(" and user_id = ?");
      params.add(user);
    }
    sql.append(" group by kind, status order by kind, status");
    return jdbc.sql(sql.toString())
        .params(params)
        .query((rs, row) -> new DecisionCount(Decision.Kind.valueOf(rs.getString("kind")), rs.getString("status"),
            rs.getLong("n")))
        .list();
  }

  private static String truncate(String reason) {
    return reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
  }

  private String write(Map<String, Object> details) {
    try {
      return json.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("decision details are not serializable: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read(String details) {
    if (details == null) {
      return Map.of();
    }
    try {
      return json.readValue(details, DETAILS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored decision details are not JSON: " + e.getMessage(), e);
    }
  }
}
