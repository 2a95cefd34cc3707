package dev.flowcast.capacity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of every elastic pool's size in units ({@code pool} tag: the catalog's pool names, a
 * handful) and a counter of scaling actions. {@code flowcast.pool.desired.units} is scraped as
 * {@code flowcast_pool_desired_units}: what KEDA's Prometheus scaler can scale a Deployment by.
 * Each scrape reads one status, cached briefly.
 */
final class CapacityMetrics {

  static final String PROVISIONED_UNITS = "flowcast.pool.provisioned.units";
  static final String READY_UNITS = "flowcast.pool.ready.units";
  static final String DESIRED_UNITS = "flowcast.pool.desired.units";
  /** Tags {@code pool}, {@code direction} (up, down) and {@code status} (requested, failed, shadow). */
  static final String SCALE_ACTIONS = "flowcast.pool.scale.actions";
  private static final Duration CACHE_FOR = Duration.ofSeconds(1);

  private record Cached(java.time.Instant at, Map<String, CapacityStatus.PoolState> pools) {}

  private final MeterRegistry registry;
  private final CapacityStatus status;
  private final Clock clock;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private volatile Cached cached;

  CapacityMetrics(MeterRegistry registry, CapacityStatus status, Clock clock) {
    this.registry = registry;
    this.status = status;
    this.clock = clock;
  }

  /** Gauges for every elastic pool not yet measured (the catalog may gain one at run time). */
  void registerPools() {
    for (CapacityStatus.PoolState pool : status.pools()) {
      if (registered.add(pool.pool())) {
        gauge(PROVISIONED_UNITS, pool.pool(), "units asked for, ready or not", s -> orNaN(s.provisionedUnits()));
        gauge(READY_UNITS, pool.pool(), "units ready to take work", s -> orNaN(s.readyUnits()));
        gauge(DESIRED_UNITS, pool.pool(), "the size the capacity planner wants", s -> s.desiredUnits());
      }
    }
  }

  void scaled(String pool, int from, int to, String outcome) {
    registry.counter(SCALE_ACTIONS, "pool", pool, "direction", to > from ? "up" : "down", "status", outcome).increment();
  }

  private void gauge(String name, String pool, String description, ToDoubleFunction<CapacityStatus.PoolState> value) {
    Gauge.builder(name, this, m -> {
          CapacityStatus.PoolState state = m.pools().get(pool);
          return state == null ? Double.NaN : value.applyAsDouble(state);
        })
        .tags("pool", pool)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  private Map<String, CapacityStatus.PoolState> pools() {
    Cached current = cached;
    if (current == null || current.at().plus(CACHE_FOR).isBefore(clock.instant())) {
      Map<String, CapacityStatus.PoolState> byName = new java.util.TreeMap<>();
      status.pools().forEach(p -> byName.put(p.pool(), p));
      current = new Cached(clock.instant(), byName);
      cached = current;
    }
    return current.pools();
  }

  private static double orNaN(Integer units) {
    return units == null ? Double.NaN : units;
  }
}
