package dev.flowcast.prediction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Trained models in the engine's database (table {@code flowcast_model}), versioned per kind,
 * with what they were trained on and how well they did, so every node of a cluster loads the
 * same newest model.
 */
public class ModelRegistry {

  /** One stored model; {@code description} holds settings, vocabulary, features and metrics. */
  public record StoredModel(
      String id, String kind, int version, Instant createdAt, Instant trainingFrom, Instant trainingTo,
      long rowsTrained, Map<String, Object> description) {}

  private static final TypeReference<Map<String, Object>> DESCRIPTION = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  public ModelRegistry(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Stores a new version of a kind of model; returns it. */
  public StoredModel save(String kind, Instant from, Instant to, long rows, Map<String, Object> description, byte[] bytes) {
    // the unique (kind, version) key makes two nodes saving at once fail rather than collide
    int version = jdbc.sql("select coalesce(max(version), 0) + 1 from flowcast_model where kind = ?")
        .param(kind).query(Integer.class).single();
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    jdbc.sql("insert into flowcast_model (id, kind, version, created_at, training_from, training_to, rows_trained,"
            + " description, model_bytes) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(id, kind, version, Timestamp.from(now), from == null ? null : Timestamp.from(from),
            to == null ? null : Timestamp.from(to), rows, write(description), Base64.getEncoder().encodeToString(bytes))
        .update();
    return new StoredModel(id, kind, version, now, from, to, rows, description);
  }

  public Optional<StoredModel> newest(String kind) {
    return list(kind, 1).stream().findFirst();
  }

  public List<StoredModel> list(String kind, int limit) {
    return jdbc.sql("select id, kind, version, created_at, training_from, training_to, rows_trained, description"
            + " from flowcast_model where kind = ? order by version desc fetch first " + limit + " rows only")
        .param(kind)
        .query((rs, row) -> new StoredModel(rs.getString("id"), rs.getString("kind"), rs.getInt("version"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("training_from")),
            instant(rs.getTimestamp("training_to")), rs.getLong("rows_trained"), read(rs.getString("description"))))
        .list();
  }

  /** The model's bytes; an entry that is not valid base64 counts as corrupt. */
  public byte[] bytes(String id) {
    String text = jdbc.sql("select model_bytes from flowcast_model where id = ?").param(id).query(String.class).single();
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new PredictionException("model " + id + " is corrupt: its bytes are not base64", e);
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private String write(Map<String, Object> description) {
    try {
      return json.writeValueAsString(description);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, DESCRIPTION);
    } catch (JsonProcessingException e) {
      throw new PredictionException("stored model description is not JSON: " + e.getMessage(), e);
    }
  }
}
