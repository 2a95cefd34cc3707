package dev.flowcast.resources;

/**
 * One pool of the price catalog: how much of it may be used at most and what it costs.
 *
 * @param capacity the most this pool may hold at once (an account limit, a quota)
 * @param interruptionRatePerHour expected interruptions per hour (spot capacity taken back)
 */
public record PricedPool(
    String name,
    ResourceDemand capacity,
    double pricePerVcpuHour,
    double pricePerGbHour,
    double interruptionRatePerHour) {

  public PricedPool {
    if (pricePerVcpuHour < 0 || pricePerGbHour < 0 || interruptionRatePerHour < 0) {
      throw new IllegalArgumentException("prices and interruption rates must be zero or positive numbers");
    }
    if (!Double.isFinite(pricePerVcpuHour + pricePerGbHour + interruptionRatePerHour)) {
      throw new IllegalArgumentException("prices and interruption rates are too large: their sum is not a finite number");
    }
  }

  /** The price of holding {@code demand} in this pool for {@code hours}. */
  public double costOf(ResourceDemand demand, double hours) {
    return demand.costFor(hours, pricePerVcpuHour, pricePerGbHour);
  }
}
