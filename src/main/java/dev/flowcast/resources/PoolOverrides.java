package dev.flowcast.resources;

import java.sql.Timestamp;
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
    jdbc.sql("insert into flowcast_pool_override (pool, vcpu, memory_mb, network_mbps, disk_iops, price_per_vcpu_hour,"
            + " price_per_gb_hour, interruption_rate_per_hour, set_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(pool.name(), pool.capacity().vcpu(), pool.capacity().memoryMb(), pool.capacity().networkMbps(),
            pool.capacity().diskIops(), pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour(),
            Timestamp.from(at))
        .update();
  }

  Map<String, PricedPool> all() {
    Map<String, PricedPool> pools = new LinkedHashMap<>();
    jdbc.sql("select * from flowcast_pool_override order by pool").query(rs -> {
      String name = rs.getString("pool");
      pools.put(name, new PricedPool(name, new ResourceDemand(rs.getDouble("vcpu"), rs.getDouble("memory_mb"),
          rs.getDouble("network_mbps"), rs.getDouble("disk_iops")), rs.getDouble("price_per_vcpu_hour"),
          rs.getDouble("price_per_gb_hour"), rs.getDouble("interruption_rate_per_hour")));
    });
    return pools;
  }

  void clear() {
    jdbc.sql("delete from flowcast_pool_override").update();
  }
}
