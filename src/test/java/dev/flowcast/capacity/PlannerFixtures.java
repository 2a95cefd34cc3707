package dev.flowcast.capacity;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Pools and outlooks for the planner specifications: units of 2 vCPU, 90 s lead time, 60 s billing minimum. */
final class PlannerFixtures {

  static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
  static final List<Duration> HORIZONS = List.of(Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(300));

  private PlannerFixtures() {}

  static Elasticity onDemand(Duration leadTime, Duration jitter, Duration billingMinimum, Duration scaleInDelay) {
    return new Elasticity(new ResourceDemand(2, 4096, 0, 0), 1, 20, leadTime, jitter, billingMinimum,
        scaleInDelay, 0, Duration.ZERO);
  }

  static Elasticity onDemand() {
    return onDemand(Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ZERO);
  }

  static ResourceDemand vcpu(double vcpu) {
    return new ResourceDemand(vcpu, 0, 0, 0);
  }

  /** An outlook with nothing predicted, released or projected. */
  static PoolOutlook now(Instant at, Elasticity elasticity, int provisioned, double runningVcpu, double queuedVcpu) {
    return new PoolOutlook("on-demand", at, elasticity, new PoolSize("on-demand", provisioned, provisioned, List.of()),
        vcpu(runningVcpu), vcpu(queuedVcpu), Map.of(), Map.of(), Map.of());
  }

  /** The same figure at every horizon from {@code from} on, nothing before. */
  static Map<Duration, ResourceDemand> from(Duration from, double vcpu) {
    return HORIZONS.stream().collect(java.util.stream.Collectors.toMap(h -> h,
        h -> h.compareTo(from) >= 0 ? vcpu(vcpu) : ResourceDemand.NONE));
  }

  static Map<Duration, ResourceDemand> nothing() {
    return from(Duration.ofDays(1), 0);
  }
}
