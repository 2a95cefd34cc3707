package dev.flowcast.resources;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Interruption notices for capacity pools (a spot pool whose machines are being taken back): raised
 * by an operator through the REST API or by a monitor of the cloud's notices, each for a while.
 * While a notice stands, the pool offers no free capacity, so nothing new is planned into it, and
 * the adaptive component moves running instances' steps out of it. Notices are kept in table
 * {@code flowcast_interruption}: one raised through any node is in force on every node within
 * {@link #READ_INTERVAL}.
 */
public class InterruptionSignals {

  /** One notice: until when, and why. */
  public record Notice(String pool, Instant raisedAt, Instant until, String reason) {}

  /** Notices are read at most this often per node: what one node raises is in force everywhere within it. */
  static final Duration READ_INTERVAL = Duration.ofSeconds(1);

  /** The longest reason a notice keeps (the column's width). */
  public static final int MAX_REASON = 2000;

  private final JdbcClient jdbc;
  private volatile Map<String, Notice> read = Map.of();
  private volatile long readAtNanos = Long.MIN_VALUE;

  public InterruptionSignals(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Raises a notice, or replaces the one that stands for the pool. One statement changes the
   * standing notice: a new one that cannot be stored leaves it as it was.
   *
   * @throws IllegalArgumentException when the reason is longer than {@link #MAX_REASON}
   */
  public Notice raise(String pool, Duration lasting, String reason, Instant now) {
    if (reason.length() > MAX_REASON) {
      throw new IllegalArgumentException("reason is longer than " + MAX_REASON + " characters");
    }
    Notice notice = new Notice(pool, now, now.plus(lasting), reason);
    Timestamp raisedAt = Timestamp.from(notice.raisedAt());
    Timestamp until = Timestamp.from(notice.until());
    int replaced = jdbc.sql("update flowcast_interruption set raised_at = ?, until = ?, reason = ? where pool = ?")
        .params(raisedAt, until, reason, pool)
        .update();
    if (replaced == 0) {
      jdbc.sql("insert into flowcast_interruption (pool, raised_at, until, reason) values (?, ?, ?, ?)")
          .params(pool, raisedAt, until, reason)
          .update();
    }
    readAtNanos = Long.MIN_VALUE;
    return notice;
  }

  /** @return whether a notice stood for the pool */
  public boolean clear(String pool) {
    readAtNanos = Long.MIN_VALUE;
    return jdbc.sql("delete from flowcast_interruption where pool = ?").param(pool).update() > 0;
  }

  public Map<String, Notice> active(Instant now) {
    long nanos = System.nanoTime();
    if (readAtNanos == Long.MIN_VALUE || nanos - readAtNanos > READ_INTERVAL.toNanos()) {
      Map<String, Notice> notices = new TreeMap<>();
      jdbc.sql("select pool, raised_at, until, reason from flowcast_interruption").query(rs -> {
        notices.put(rs.getString("pool"), new Notice(rs.getString("pool"), rs.getTimestamp("raised_at").toInstant(),
            rs.getTimestamp("until").toInstant(), rs.getString("reason")));
      });
      read = notices;
      readAtNanos = nanos;
    }
    Map<String, Notice> standing = new TreeMap<>(read);
    standing.values().removeIf(n -> !n.until().isAfter(now));
    return standing;
  }

  public Set<String> activePools(Instant now) {
    return active(now).keySet().stream().collect(Collectors.toSet());
  }
}
