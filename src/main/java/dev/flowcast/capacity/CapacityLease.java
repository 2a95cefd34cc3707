package dev.flowcast.capacity;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The planner runs on one node of a cluster at a time: the one that holds the lease row in
 * {@code flowcast_capacity_lease}. A node takes it when it has expired and renews it at every
 * tick; one conditional update decides, so two nodes never both hold it (the database locks the
 * row, and the second update finds it taken).
 */
final class CapacityLease {

  private static final String PLANNER = "planner";

  private final JdbcClient jdbc;
  private final String node;

  CapacityLease(JdbcClient jdbc, String node) {
    this.jdbc = jdbc;
    this.node = node;
  }

  /** Takes or renews the lease until {@code now + hold}; false while another node holds it. */
  boolean acquire(Instant now, Duration hold) {
    return jdbc.sql("update flowcast_capacity_lease set holder = ?, until = ? where name = ? and (holder = ? or until < ?)")
        .params(node, Timestamp.from(now.plus(hold)), PLANNER, node, Timestamp.from(now))
        .update() == 1;
  }

  String node() {
    return node;
  }
}
