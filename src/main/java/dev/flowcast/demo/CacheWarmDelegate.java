package dev.flowcast.demo;

import dev.flowcast.config.ProcessVariables;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: warming a cache means reading the newest orders into an in-memory map, bounded
 * by {@code cacheSize} (request parameter, at most {@value #MAX_ENTRIES}). Output {@code cacheEntries}.
 */
class CacheWarmDelegate implements JavaDelegate {

  static final int MAX_ENTRIES = 10_000;

  private final JdbcClient jdbc;
  private final Map<Long, Double> cache = new ConcurrentHashMap<>();

  CacheWarmDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    int size = (int) Math.max(1, Math.min(MAX_ENTRIES, ProcessVariables.number(execution, "cacheSize", 1000)));
    cache.clear();
    jdbc.sql("select id, amount from demo_orders order by id desc fetch first " + size + " rows only")
        .query(rs -> {
          cache.put(rs.getLong("id"), rs.getDouble("amount"));
        });
    execution.setVariable("cacheEntries", (long) cache.size());
  }
}
