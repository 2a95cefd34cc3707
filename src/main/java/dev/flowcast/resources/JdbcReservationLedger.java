package dev.flowcast.resources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;

/** The ledger in table {@code flowcast_reservation}; a released row stays, for the record. */
class JdbcReservationLedger implements ReservationLedger {

  private static final String DUPLICATE_KEY = "23505";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final DataSource dataSource;

  JdbcReservationLedger(JdbcClient jdbc, Clock clock, DataSource dataSource) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.dataSource = dataSource;
  }

  /** A row of {@code flowcast_pool_lock} per pool, taken FOR UPDATE; a pool's row is added the first time. */
  @Override
  public void holdPools(Collection<String> pools) {
    for (String pool : new TreeSet<>(pools)) {
      if (lockRow(pool) == 0) {
        addLockRow(pool);
        lockRow(pool);
      }
    }
  }

  private int lockRow(String pool) {
    return jdbc.sql("select pool from flowcast_pool_lock where pool = ? for update").param(pool).query().listOfRows()
        .size();
  }

  /**
   * On the caller's own connection, behind a savepoint: a second connection could wait forever for
   * a pool that every caller holds, and when another node adds the row at the same moment, its
   * duplicate (SQL state 23505, on H2 and PostgreSQL alike) is rolled back to the savepoint alone.
   */
  private void addLockRow(String pool) {
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      boolean inTransaction = !connection.getAutoCommit();
      Savepoint before = inTransaction ? connection.setSavepoint() : null;
      try (PreparedStatement insert = connection.prepareStatement("insert into flowcast_pool_lock (pool) values (?)")) {
        insert.setString(1, pool);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
          throw e;
        }
        if (before != null) {
          connection.rollback(before);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not add the lock of pool '" + pool + "': " + e.getMessage(), e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  @Override
  public void reserve(String processInstanceId, Map<String, ResourceDemand> demandByPool) {
    Timestamp now = Timestamp.from(clock.instant());
    demandByPool.forEach(
        (pool, demand) ->
            jdbc.sql(
                    """
                    insert into flowcast_reservation
                      (process_instance_id, pool, vcpu, memory_mb, network_mbps, disk_iops, reserved_at)
                    values (?, ?, ?, ?, ?, ?, ?)
                    """)
                .params(
                    processInstanceId,
                    pool,
                    demand.vcpu(),
                    demand.memoryMb(),
                    demand.networkMbps(),
                    demand.diskIops(),
                    now)
                .update());
  }

  @Override
  public void release(String processInstanceId) {
    jdbc.sql(
            "update flowcast_reservation set released_at = ? "
                + "where process_instance_id = ? and released_at is null")
        .params(Timestamp.from(clock.instant()), processInstanceId)
        .update();
  }

  @Override
  public Map<String, ResourceDemand> heldBy(String processInstanceId) {
    return sumPerPool(
        "where process_instance_id = ? and released_at is null", processInstanceId);
  }

  @Override
  public Map<String, ResourceDemand> heldPerPool() {
    return sumPerPool("where released_at is null");
  }

  @Override
  public Map<String, ResourceDemand> heldPerPool(Collection<String> pools) {
    if (pools.isEmpty()) {
      return new HashMap<>();
    }
    Object[] named = new TreeSet<>(pools).toArray();
    return sumPerPool("where released_at is null and pool in (" + "?, ".repeat(named.length - 1) + "?)", named);
  }

  @Override
  public java.util.List<Holding> holdings() {
    record Row(String instance, java.time.Instant since, String pool, ResourceDemand demand) {}
    java.util.List<Row> rows = jdbc.sql("select process_instance_id, pool, min(reserved_at) since, sum(vcpu) vcpu,"
            + " sum(memory_mb) memory_mb, sum(network_mbps) network_mbps, sum(disk_iops) disk_iops"
            + " from flowcast_reservation where released_at is null group by process_instance_id, pool")
        .query((rs, row) -> new Row(rs.getString("process_instance_id"), rs.getTimestamp("since").toInstant(),
            rs.getString("pool"), demandOf(rs)))
        .list();
    Map<String, Holding> byInstance = new java.util.LinkedHashMap<>();
    for (Row row : rows) {
      byInstance.merge(row.instance(), new Holding(row.instance(), row.since(), row.demand(), Map.of(row.pool(), row.demand())),
          (a, b) -> {
            Map<String, ResourceDemand> pools = new HashMap<>(a.byPool());
            b.byPool().forEach((pool, demand) -> pools.merge(pool, demand, ResourceDemand::plus));
            return new Holding(a.processInstanceId(), a.since().isBefore(b.since()) ? a.since() : b.since(),
                a.demand().plus(b.demand()), pools);
          });
    }
    return java.util.List.copyOf(byInstance.values());
  }

  private Map<String, ResourceDemand> sumPerPool(String where, Object... params) {
    Map<String, ResourceDemand> held = new HashMap<>();
    jdbc.sql(
            "select pool, sum(vcpu) vcpu, sum(memory_mb) memory_mb, sum(network_mbps) network_mbps,"
                + " sum(disk_iops) disk_iops from flowcast_reservation "
                + where
                + " group by pool")
        .params(params)
        .query((ResultSet rs) -> {
          held.put(rs.getString("pool"), demandOf(rs));
        });
    return held;
  }

  private static ResourceDemand demandOf(ResultSet rs) throws SQLException {
    return new ResourceDemand(
        rs.getDouble("vcpu"),
        rs.getDouble("memory_mb"),
        rs.getDouble("network_mbps"),
        rs.getDouble("disk_iops"));
  }
}
