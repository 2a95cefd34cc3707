package dev.flowcast.resources;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Operators' run-time overrides of pools, in table {@code flowcast_pool_override}, so that an
 * override made through one node is in force on every node (each reads them with the catalog's
 * check). Overrides are dropped when the catalog file changes.
 */
class PoolOverrides {

  private final JdbcClient jdbc;

  PoolOverrides(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void put(PricedPool pool, Instant at) {
    // delete and insert in one transaction (the caller's): portable across H2 and PostgreSQL
    jdbc.sql("delete from flowcast_pool_override where pool = ?").param(pool.name()).update();
    Elasticity e = pool.elasticity();
    jdbc.sql("insert into flowcast_pool_override (pool, vcpu, memory_mb, network_mbps, disk_iops, price_per_vcpu_hour,"
            + " price_per_gb_hour, interruption_rate_per_hour, set_at, unit_vcpu, unit_memory_mb, unit_network_mbps,"
            + " unit_disk_iops, min_units, max_units, lead_time_ms, lead_time_jitter_ms, billing_minimum_ms,"
            + " scale_in_delay_ms, refusal_rate, interruption_notice_ms)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(pool.name(), pool.capacity().vcpu(), pool.capacity().memoryMb(), pool.capacity().networkMbps(),
            pool.capacity().diskIops(), pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour(),
            Timestamp.from(at),
            e == null ? null : e.unit().vcpu(), e == null ? null : e.unit().memoryMb(),
            e == null ? null : e.unit().networkMbps(), e == null ? null : e.unit().diskIops(),
            e == null ? null : e.minUnits(), e == null ? null : e.maxUnits(),
            e == null ? null : e.leadTime().toMillis(), e == null ? null : e.leadTimeJitter().toMillis(),
            e == null ? null : e.billingMinimum().toMillis(), e == null ? null : e.scaleInDelay().toMillis(),
            e == null ? null : e.refusalRate(), e == null ? null : e.interruptionNotice().toMillis())
        .update();
  }

  Map<String, PricedPool> all() {
    Map<String, PricedPool> pools = new LinkedHashMap<>();
    jdbc.sql("select * from flowcast_pool_override order by pool").query(rs -> {
      String name = rs.getString("pool");
      pools.put(name, new PricedPool(name, new ResourceDemand(rs.getDouble("vcpu"), rs.getDouble("memory_mb"),
          rs.getDouble("network_mbps"), rs.getDouble("disk_iops")), rs.getDouble("price_per_vcpu_hour"),
          rs.getDouble("price_per_gb_hour"), rs.getDouble("interruption_rate_per_hour"), elasticityOf(rs)));
    });
    return pools;
  }

  private static Elasticity elasticityOf(ResultSet rs) throws SQLException {
    if (rs.getObject("max_units") == null) {
      return null;
    }
    return new Elasticity(
        new ResourceDemand(rs.getDouble("unit_vcpu"), rs.getDouble("unit_memory_mb"), rs.getDouble("unit_network_mbps"),
            rs.getDouble("unit_disk_iops")),
        rs.getInt("min_units"), rs.getInt("max_units"), Duration.ofMillis(rs.getLong("lead_time_ms")),
        Duration.ofMillis(rs.getLong("lead_time_jitter_ms")), Duration.ofMillis(rs.getLong("billing_minimum_ms")),
        Duration.ofMillis(rs.getLong("scale_in_delay_ms")), rs.getDouble("refusal_rate"),
        Duration.ofMillis(rs.getLong("interruption_notice_ms")));
  }

  void clear() {
    jdbc.sql("delete from flowcast_pool_override").update();
  }
}
