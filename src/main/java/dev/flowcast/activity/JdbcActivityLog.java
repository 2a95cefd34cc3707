package dev.flowcast.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The activity log in table {@code flowcast_activity}, attributes and tags as JSON. */
class JdbcActivityLog implements ActivityLog {

  private static final TypeReference<Map<String, Double>> ATTRIBUTES = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final TransactionTemplate transaction;
  private final ObjectMapper json;

  JdbcActivityLog(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transaction, ObjectMapper json) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.transaction = transaction;
    this.json = json;
  }

  @Override
  public void append(List<ActivityEvent> events, Source source) {
    List<Object[]> rows = new ArrayList<>();
    for (ActivityEvent event : events) {
      rows.add(new Object[] {Timestamp.from(event.time()), event.user(), event.action(), event.caseId(), source.name(),
          event.attributes().isEmpty() ? null : write(event.attributes()), event.tags().isEmpty() ? null : write(event.tags())});
    }
    transaction.executeWithoutResult(tx -> batch.batchUpdate(
        "insert into flowcast_activity (occurred_at, user_id, action, case_id, source, attributes, tags)"
            + " values (?, ?, ?, ?, ?, ?, ?)", rows));
  }

  @Override
  public List<ActivityEvent> recent(String user, int limit) {
    List<ActivityEvent> newestFirst = jdbc.sql(recentOfUser(limit))
        .param(user)
        .query((rs, row) -> read(rs))
        .list();
    List<ActivityEvent> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /**
   * A user's newest actions: ordered by every column of the index on (user_id, occurred_at desc,
   * id desc), so that H2 too reads them from it and stops, whatever the user's history.
   */
  static String recentOfUser(int limit) {
    return "select * from flowcast_activity where user_id = ?"
        + " order by user_id, occurred_at desc, id desc fetch first " + limit + " rows only";
  }

  @Override
  public List<ActivityEvent> since(Instant from, int limit) {
    return jdbc.sql("select * from flowcast_activity where occurred_at >= ? order by occurred_at, id fetch first "
            + limit + " rows only")
        .param(Timestamp.from(from))
        .query((rs, row) -> read(rs))
        .list();
  }

  @Override
  public Set<String> activeUsers(Instant since) {
    return new LinkedHashSet<>(jdbc.sql("select distinct user_id from flowcast_activity where occurred_at >= ?")
        .param(Timestamp.from(since))
        .query(String.class)
        .list());
  }

  @Override
  public int prune(Instant before) {
    return jdbc.sql("delete from flowcast_activity where occurred_at < ?").param(Timestamp.from(before)).update();
  }

  private ActivityEvent read(ResultSet rs) throws SQLException {
    String attributes = rs.getString("attributes");
    String tags = rs.getString("tags");
    return new ActivityEvent(rs.getTimestamp("occurred_at").toInstant(), rs.getString("user_id"), rs.getString("action"),
        rs.getString("case_id"), attributes == null ? Map.of() : read(attributes, ATTRIBUTES),
        tags == null ? Map.of() : read(tags, TAGS));
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored activity is not JSON: " + e.getMessage(), e);
    }
  }
}
