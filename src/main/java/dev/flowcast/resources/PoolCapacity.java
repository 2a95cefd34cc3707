package dev.flowcast.resources;

/**
 * One capacity pool as the composer sees it: what it holds, what is free, what it costs and how
 * likely it is to be taken away.
 */
public record PoolCapacity(
    String name,
    ResourceDemand capacity,
    ResourceDemand available,
    double pricePerVcpuHour,
    double pricePerGbHour,
    double interruptionRatePerHour) {

  /** The price of holding {@code demand} in this pool for {@code hours}. */
  public double costOf(ResourceDemand demand, double hours) {
    return demand.costFor(hours, pricePerVcpuHour, pricePerGbHour);
  }
}
