package dev.flowcast.resources;

import java.time.Instant;

/**
 * One measurement of the machine (or cluster): capacities and what is in use, rates from counter
 * deltas over the last sampling interval.
 */
public record ResourceSample(
    Instant at,
    double cpuCapacity,
    double cpuUsed,
    double memoryCapacityMb,
    double memoryUsedMb,
    double networkCapacityMbps,
    double networkInBytesPerSecond,
    double networkOutBytesPerSecond,
    double diskCapacityIops,
    double diskReadBytesPerSecond,
    double diskWriteBytesPerSecond,
    double diskReadsPerSecond,
    double diskWritesPerSecond) {

  private static final double BITS_PER_MEGABIT = 1_000_000.0;

  public double capacity(ResourceKind kind) {
    return switch (kind) {
      case CPU -> cpuCapacity;
      case MEMORY -> memoryCapacityMb;
      case NETWORK -> networkCapacityMbps;
      case DISK -> diskCapacityIops;
    };
  }

  /** In the kind's unit; network counts both directions, disk both reads and writes. */
  public double used(ResourceKind kind) {
    return switch (kind) {
      case CPU -> cpuUsed;
      case MEMORY -> memoryUsedMb;
      case NETWORK -> (networkInBytesPerSecond + networkOutBytesPerSecond) * 8 / BITS_PER_MEGABIT;
      case DISK -> diskReadsPerSecond + diskWritesPerSecond;
    };
  }

  public double available(ResourceKind kind) {
    return Math.max(0, capacity(kind) - used(kind));
  }
}
