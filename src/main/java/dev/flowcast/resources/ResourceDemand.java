package dev.flowcast.resources;

/**
 * An amount of each resource kind: what a task needs, what a pool offers or has free.
 *
 * @param vcpu virtual CPUs
 * @param memoryMb memory in MB
 * @param networkMbps network throughput in Mbit/s
 * @param diskIops disk operations per second
 */
public record ResourceDemand(double vcpu, double memoryMb, double networkMbps, double diskIops) {

  public static final ResourceDemand NONE = new ResourceDemand(0, 0, 0, 0);

  public ResourceDemand {
    if (vcpu < 0 || memoryMb < 0 || networkMbps < 0 || diskIops < 0) {
      throw new IllegalArgumentException("resource amounts must not be negative");
    }
  }

  /** What holding this costs for {@code hours} at the given prices (memory priced per GB). */
  public double costFor(double hours, double pricePerVcpuHour, double pricePerGbHour) {
    return hours * (vcpu * pricePerVcpuHour + memoryMb / 1024.0 * pricePerGbHour);
  }

  public ResourceDemand plus(ResourceDemand other) {
    return new ResourceDemand(
        vcpu + other.vcpu,
        memoryMb + other.memoryMb,
        networkMbps + other.networkMbps,
        diskIops + other.diskIops);
  }

  /** What is left of this amount after taking {@code other}, never below zero. */
  public ResourceDemand minusClamped(ResourceDemand other) {
    return new ResourceDemand(
        Math.max(0, vcpu - other.vcpu),
        Math.max(0, memoryMb - other.memoryMb),
        Math.max(0, networkMbps - other.networkMbps),
        Math.max(0, diskIops - other.diskIops));
  }

  public ResourceDemand max(ResourceDemand other) {
    return new ResourceDemand(
        Math.max(vcpu, other.vcpu),
        Math.max(memoryMb, other.memoryMb),
        Math.max(networkMbps, other.networkMbps),
        Math.max(diskIops, other.diskIops));
  }

  /** Every kind times {@code factor}: a share of a demand, or several of it. */
  public ResourceDemand times(double factor) {
    return new ResourceDemand(vcpu * factor, memoryMb * factor, networkMbps * factor, diskIops * factor);
  }

  public boolean fitsIn(ResourceDemand available) {
    return vcpu <= available.vcpu
        && memoryMb <= available.memoryMb
        && networkMbps <= available.networkMbps
        && diskIops <= available.diskIops;
  }

  /**
   * The share of {@code available} left after this demand, for the scarcest kind: 1 when nothing
   * is needed, 0 when a kind is used up or short. Kinds neither needed nor offered are ignored.
   */
  public double headroomIn(ResourceDemand available) {
    double headroom = 1.0;
    headroom = Math.min(headroom, headroom(vcpu, available.vcpu));
    headroom = Math.min(headroom, headroom(memoryMb, available.memoryMb));
    headroom = Math.min(headroom, headroom(networkMbps, available.networkMbps));
    headroom = Math.min(headroom, headroom(diskIops, available.diskIops));
    return headroom;
  }

  private static double headroom(double needed, double available) {
    if (needed <= 0) {
      return 1.0;
    }
    if (available <= 0) {
      return 0.0;
    }
    return Math.max(0.0, 1.0 - needed / available);
  }
}
