package dev.flowcast.resources;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ledger in table {@code flowcast_reservation}; a released row stays, for the record. */
class JdbcReservationLedger implements ReservationLedger {

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcReservationLedger(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
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
