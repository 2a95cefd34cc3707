package dev.flowcast.resources;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * The monitor's gauges. Values are in the profile's units, named by the {@code unit} tag; tags
 * have low cardinality (kind, pool, horizon). Each scrape reads one profile, cached briefly.
 * Gauges hold their state strongly: nothing else keeps this object alive, and Micrometer's
 * default weak reference would turn every value into NaN after the first garbage collection.
 */
final class ResourceMetrics {

  static final String CAPACITY = "flowcast.resource.capacity";
  static final String AVAILABLE = "flowcast.resource.available";
  static final String PROJECTED_AVAILABLE = "flowcast.resource.projected.available";
  static final String POOL_AVAILABLE = "flowcast.pool.available";
  /**
   * Projected use per kind and horizon, at the median ({@code quantile="0.5"}) and at the upper
   * quantile ({@code "0.9"}): what an autoscaler (KEDA's Prometheus scaler, an HPA on external
   * metrics) can scale ahead of.
   */
  static final String DEMAND_FORECAST = "flowcast.demand.forecast";
  static final String SAMPLE_AGE = "flowcast.resource.sample.age";
  static final String STALE = "flowcast.resource.stale";
  private static final Duration CACHE_FOR = Duration.ofSeconds(1);

  private final ResourceMonitor monitor;
  private final Clock clock;
  private volatile ResourceProfile cached;

  private ResourceMetrics(ResourceMonitor monitor, Clock clock) {
    this.monitor = monitor;
    this.clock = clock;
  }

  static void register(MeterRegistry registry, ResourceMonitor monitor, PriceCatalog catalog, Clock clock) {
    ResourceMetrics metrics = new ResourceMetrics(monitor, clock);
    for (ResourceKind kind : ResourceKind.values()) {
      metrics.gauge(registry, CAPACITY, kind, null, p -> kindValue(p, kind, k -> k.capacity()));
      metrics.gauge(registry, AVAILABLE, kind, null, p -> kindValue(p, kind, k -> k.available()));
      for (Duration horizon : ResourceProfile.HORIZONS) {
        metrics.gauge(registry, PROJECTED_AVAILABLE, kind, horizon,
            p -> kindValue(p, kind, k -> k.projectedAvailable().get(horizon).expected()));
        Gauge.builder(DEMAND_FORECAST, metrics,
                m -> kindValue(m.profile(), kind, k -> k.capacity() - k.projectedAvailable().get(horizon).expected()))
            .tags("kind", kind.key(), "unit", kind.unit(), "horizon", horizon.toMinutes() + "m", "quantile", "0.5")
            .description("projected use").strongReference(true).register(registry);
        Gauge.builder(DEMAND_FORECAST, metrics,
                m -> kindValue(m.profile(), kind, k -> k.capacity() - k.projectedAvailable().get(horizon).upper()))
            .tags("kind", kind.key(), "unit", kind.unit(), "horizon", horizon.toMinutes() + "m", "quantile", "0.9")
            .description("projected use").strongReference(true).register(registry);
      }
      for (String pool : catalog.pools().keySet()) {
        Gauge.builder(POOL_AVAILABLE, metrics, m -> m.profile().pool(pool).map(c -> kind.of(c.available())).orElse(Double.NaN))
            .tags("pool", pool, "kind", kind.key(), "unit", kind.unit())
            .description("what the pool offers after reservations and measured load")
            .strongReference(true)
            .register(registry);
      }
    }
    Gauge.builder(SAMPLE_AGE, metrics, m -> m.profile().freshness().sampleAge().toMillis() / 1000.0)
        .baseUnit("seconds").description("age of the last good resource sample").strongReference(true).register(registry);
    Gauge.builder(STALE, metrics, m -> m.profile().freshness().stale() ? 1 : 0)
        .description("1 while the resource measurements are stale").strongReference(true).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, ResourceKind kind, Duration horizon,
      ToDoubleFunction<ResourceProfile> value) {
    Gauge.Builder<ResourceMetrics> builder =
        Gauge.builder(name, this, m -> value.applyAsDouble(m.profile()))
            .tags("kind", kind.key(), "unit", kind.unit())
            .strongReference(true);
    if (horizon != null) {
      builder = builder.tag("horizon", horizon.toMinutes() + "m");
    }
    builder.register(registry);
  }

  private static double kindValue(ResourceProfile profile, ResourceKind kind,
      ToDoubleFunction<ResourceProfile.KindProfile> value) {
    ResourceProfile.KindProfile measured = profile.kinds().get(kind);
    return measured == null ? Double.NaN : value.applyAsDouble(measured);
  }

  private ResourceProfile profile() {
    ResourceProfile profile = cached;
    if (profile == null || profile.at().plus(CACHE_FOR).isBefore(clock.instant())) {
      profile = monitor.profile(clock.instant());
      cached = profile;
    }
    return profile;
  }
}
