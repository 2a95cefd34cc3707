package dev.flowcast;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * For plain JDBC tests on PostgreSQL: a schema of the test's own in the database that
 * {@code FLOWCAST_TEST_POSTGRES_URL} names, connections that use it, and the schema dropped at the
 * end, so that tests running at once never meet in each other's tables.
 */
public final class PostgresSchemaOfItsOwn implements AutoCloseable {

  private final String schema;
  private final SingleConnectionDataSource first;
  private final List<SingleConnectionDataSource> connections = new ArrayList<>();

  /** Creates the schema, named {@code prefix} and a random suffix. */
  public PostgresSchemaOfItsOwn(String prefix) {
    schema = prefix + UUID.randomUUID().toString().replace("-", "");
    first = open();
    JdbcClient.create(first).sql("create schema " + schema).update();
    JdbcClient.create(first).sql("set search_path to " + schema).update();
    connections.add(first);
  }

  /** The connection the schema was created on, in the schema. */
  public SingleConnectionDataSource connection() {
    return first;
  }

  /** Another connection, in the schema. */
  public SingleConnectionDataSource anotherConnection() {
    SingleConnectionDataSource another = open();
    JdbcClient.create(another).sql("set search_path to " + schema).update();
    connections.add(another);
    return another;
  }

  /** Runs statements separated by semicolons (a migration file's, its comments removed). */
  public void run(String statements) {
    for (String statement : statements.replaceAll("--[^\\n]*", "").split(";")) {
      if (!statement.isBlank()) {
        JdbcClient.create(first).sql(statement).update();
      }
    }
  }

  @Override
  public void close() {
    connections.stream().filter(c -> c != first).forEach(SingleConnectionDataSource::destroy);
    JdbcClient.create(first).sql("drop schema " + schema + " cascade").update();
    first.destroy();
  }

  private static SingleConnectionDataSource open() {
    return new SingleConnectionDataSource(System.getenv("FLOWCAST_TEST_POSTGRES_URL"), "flowcast", "flowcast", true);
  }
}
