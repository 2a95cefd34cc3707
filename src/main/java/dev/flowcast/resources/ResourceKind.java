package dev.flowcast.resources;

/** The kinds of resource Flowcast measures, projects and reserves, with the unit a profile uses. */
public enum ResourceKind {
  CPU("cpu", "vCPU"),
  MEMORY("memory", "MB"),
  NETWORK("network", "Mbit/s"),
  DISK("disk", "IOPS");

  private final String key;
  private final String unit;

  ResourceKind(String key, String unit) {
    this.key = key;
    this.unit = unit;
  }

  /** The lower-case name used in JSON and metric tags. */
  public String key() {
    return key;
  }

  public String unit() {
    return unit;
  }

  /** The amount of this kind in a demand. */
  public double of(ResourceDemand demand) {
    return switch (this) {
      case CPU -> demand.vcpu();
      case MEMORY -> demand.memoryMb();
      case NETWORK -> demand.networkMbps();
      case DISK -> demand.diskIops();
    };
  }
}
