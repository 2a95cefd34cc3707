package dev.flowcast.demo;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: the report query, run for real against the primary table or the simulated read
 * replica (input {@code source}: {@code primary} or {@code replica}); optional request parameter
 * {@code region} narrows it. Outputs {@code reportRows}, {@code reportTotal}, {@code reportSource}.
 */
class QueryDelegate extends DemoStep {

  private static final Map<String, String> TABLES =
      Map.of("primary", "demo_orders", "replica", "demo_orders_replica");

  private final JdbcClient jdbc;

  QueryDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  void run(Map<String, Object> in, Map<String, Object> out, Turn turn) {
    String source = string(in, "source");
    String table = TABLES.get(source);
    if (table == null) {
      throw new IllegalArgumentException("input 'source' must be one of " + TABLES.keySet() + ", not " + source);
    }
    String region = string(in, "region");
    String where = region == null ? "" : " where region = :region";
    var query = jdbc.sql("select count(*) row_count, coalesce(sum(amount), 0) total from " + table + where);
    if (region != null) {
      query = query.param("region", region);
    }
    Map<String, Object> row = query.query().singleRow();
    out.put("reportRows", ((Number) row.get("row_count")).longValue());
    out.put("reportTotal", ((Number) row.get("total")).doubleValue());
    out.put("reportSource", table);
  }
}
