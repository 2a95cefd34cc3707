package dev.flowcast.resources;

import java.util.Optional;

/**
 * One pool of the price catalog: how much of it may be used at most, what it costs, and, for an
 * elastic pool, how it grows and shrinks.
 *
 * @param capacity the most this pool may hold at once (an account limit, a quota)
 * @param interruptionRatePerHour expected interruptions per hour (spot capacity taken back)
 * @param elasticity how the pool is sized in units, or null for a fixed pool (its capacity is
 *     there all the time)
 */
public record PricedPool(
    String name,
    ResourceDemand capacity,
    double pricePerVcpuHour,
    double pricePerGbHour,
    double interruptionRatePerHour,
    Elasticity elasticity) {

  public PricedPool {
    if (pricePerVcpuHour < 0 || pricePerGbHour < 0 || interruptionRatePerHour < 0) {
      throw new IllegalArgumentException("prices and interruption rates must be zero or positive numbers");
    }
    if (!Double.isFinite(pricePerVcpuHour + pricePerGbHour + interruptionRatePerHour)) {
      throw new IllegalArgumentException("prices and interruption rates are too large: their sum is not a finite number");
    }
  }

  /** A fixed pool. */
  public PricedPool(String name, ResourceDemand capacity, double pricePerVcpuHour, double pricePerGbHour,
      double interruptionRatePerHour) {
    this(name, capacity, pricePerVcpuHour, pricePerGbHour, interruptionRatePerHour, null);
  }

  /** How the pool grows, if it is elastic. */
  public Optional<Elasticity> elastic() {
    return Optional.ofNullable(elasticity);
  }

  /** The same pool with another elasticity (null: fixed). */
  public PricedPool withElasticity(Elasticity other) {
    return new PricedPool(name, capacity, pricePerVcpuHour, pricePerGbHour, interruptionRatePerHour, other);
  }

  /** The price of holding {@code demand} in this pool for {@code hours}. */
  public double costOf(ResourceDemand demand, double hours) {
    return demand.costFor(hours, pricePerVcpuHour, pricePerGbHour);
  }
}
