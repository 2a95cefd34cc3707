package dev.flowcast.resources;

/**
 * Where measurements come from: this machine (OSHI) or a cluster's Prometheus. Declare a bean of
 * this type to replace the one {@code flowcast.resources.source} selects.
 */
public interface MetricsSource {

  /**
   * Measures now; rates cover the time since the previous call.
   *
   * @throws MetricsUnavailableException when nothing can be measured
   */
  ResourceSample sample();

  /** A short name for logs and the profile, e.g. {@code oshi}. */
  String name();

  /** The source could not measure; the monitor keeps the last good sample and marks it stale. */
  class MetricsUnavailableException extends RuntimeException {
    public MetricsUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
