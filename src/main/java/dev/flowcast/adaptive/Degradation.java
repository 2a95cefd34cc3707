package dev.flowcast.adaptive;

import java.util.Map;

/**
 * One sign that a running instance does worse than planned.
 *
 * @param stepId the step it concerns
 * @param severity the measured figure over its threshold: 1 or more is degraded; below 1 is
 *     reported too, so the switch logic can apply hysteresis
 * @param figures the measurements behind it, for the decision log
 */
public record Degradation(
    Reason reason, String stepId, String component, String pool, double severity, String description,
    Map<String, Object> figures) {

  public enum Reason {
    /** A running step has run past its threshold. */
    SLOW_STEP,
    /** A step still to come is bound to a component whose steps run past their threshold now. */
    SLOW_COMPONENT,
    /** The remaining steps' peak demand no longer fits their pool's projected free capacity. */
    CAPACITY,
    /** A pool of a running or remaining step has an interruption notice (spot capacity taken back). */
    INTERRUPTION,
    /** A running step's work failed: its job threw, and it will not finish where it is without help. */
    FAILED
  }

  public Degradation {
    figures = Map.copyOf(figures);
  }

  public boolean degraded() {
    return severity >= 1.0;
  }
}
