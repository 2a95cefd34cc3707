package dev.flowcast.resources;

/**
 * One capacity pool as the composer sees it: what it holds, what is free (now, conservatively over
 * all horizons, and as projected at each horizon), what it costs and how likely it is to be taken
 * away.
 *
 * @param available what the composer counts on for work that starts now: the least of now and
 *     every projection
 * @param projectedAvailable per horizon, what is projected free then (its upper quantile of use);
 *     empty where nothing was projected, and then {@code available} holds for every horizon
 */
public record PoolCapacity(
    String name,
    ResourceDemand capacity,
    ResourceDemand available,
    double pricePerVcpuHour,
    double pricePerGbHour,
    double interruptionRatePerHour,
    java.util.Map<java.time.Duration, ResourceDemand> projectedAvailable) {

  public PoolCapacity {
    projectedAvailable = java.util.Map.copyOf(projectedAvailable);
  }

  public PoolCapacity(String name, ResourceDemand capacity, ResourceDemand available, double pricePerVcpuHour,
      double pricePerGbHour, double interruptionRatePerHour) {
    this(name, capacity, available, pricePerVcpuHour, pricePerGbHour, interruptionRatePerHour, java.util.Map.of());
  }

  /**
   * What a step starting {@code after} from now can count on: now's conservative figure for work
   * that starts within the first horizon's reach of now, else the projection at the first horizon
   * at or beyond its start (the last one past them all).
   */
  public ResourceDemand availableAt(java.time.Duration after) {
    if (after.isZero() || after.isNegative() || projectedAvailable.isEmpty()) {
      return available;
    }
    java.time.Duration chosen = null;
    for (java.time.Duration horizon : ResourceProfile.HORIZONS) {
      if (projectedAvailable.containsKey(horizon)) {
        chosen = horizon;
        if (horizon.compareTo(after) >= 0) {
          break;
        }
      }
    }
    return chosen == null ? available : projectedAvailable.get(chosen);
  }

  /** The price of holding {@code demand} in this pool for {@code hours}. */
  public double costOf(ResourceDemand demand, double hours) {
    return demand.costFor(hours, pricePerVcpuHour, pricePerGbHour);
  }
}
