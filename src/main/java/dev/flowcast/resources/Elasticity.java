package dev.flowcast.resources;

import java.time.Duration;

/**
 * How a pool of the price catalog grows and shrinks: in units of a fixed size, between a minimum
 * and a maximum number of them, each arriving some time after it was asked for, billed per second
 * of provisioned time (used or not) with a minimum, and given back only after a delay. A spot pool
 * may also refuse a request (no capacity there now) and be interrupted with a notice.
 *
 * @param unit what one unit holds (a node, a worker process)
 * @param leadTime from request to ready, on average
 * @param leadTimeJitter the spread of the lead time (a standard deviation)
 * @param billingMinimum the least time a provisioned unit is paid for
 * @param scaleInDelay how long a unit must be idle before it is given back
 * @param refusalRate the share of requests for more units that the pool refuses (spot)
 * @param interruptionNotice how long before an interruption it is announced
 */
public record Elasticity(
    ResourceDemand unit,
    int minUnits,
    int maxUnits,
    Duration leadTime,
    Duration leadTimeJitter,
    Duration billingMinimum,
    Duration scaleInDelay,
    double refusalRate,
    Duration interruptionNotice) {

  /**
   * Defaults of the optional fields, from public figures (docs/decisions/0020-elastic-pools.md):
   * an EC2 instance boots in about 30 s, a node pool behind the Cluster Autoscaler takes minutes,
   * billing is per second with a 60 s minimum, KEDA and the HPA scale in after 300 s, a spot
   * interruption is announced two minutes ahead.
   */
  public static final int DEFAULT_MIN_UNITS = 0;
  public static final Duration DEFAULT_LEAD_TIME = Duration.ofSeconds(90);
  public static final Duration DEFAULT_LEAD_TIME_JITTER = Duration.ofSeconds(15);
  public static final Duration DEFAULT_BILLING_MINIMUM = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SCALE_IN_DELAY = Duration.ofMinutes(5);
  public static final double DEFAULT_REFUSAL_RATE = 0;
  public static final Duration DEFAULT_INTERRUPTION_NOTICE = Duration.ofMinutes(2);

  public Elasticity {
    if (minUnits < 0 || maxUnits < minUnits) {
      throw new IllegalArgumentException("min-units must be zero or more and max-units at least min-units (min "
          + minUnits + ", max " + maxUnits + ")");
    }
    if (unit.vcpu() <= 0) {
      throw new IllegalArgumentException("a unit must have more than 0 vCPU");
    }
    if (leadTime.isNegative() || leadTime.isZero()) {
      throw new IllegalArgumentException("the lead time must be positive");
    }
    if (leadTimeJitter.isNegative() || billingMinimum.isNegative() || scaleInDelay.isNegative()
        || interruptionNotice.isNegative()) {
      throw new IllegalArgumentException("jitter, billing minimum, scale-in delay and notice must not be negative");
    }
    if (!(refusalRate >= 0 && refusalRate <= 1)) {
      throw new IllegalArgumentException("the refusal rate is a share between 0 and 1");
    }
  }

  /** What {@code units} units hold together. */
  public ResourceDemand of(int units) {
    return unit.times(units);
  }

  /** The same pool with another lead time (one its provider measured). */
  public Elasticity withLeadTime(Duration measured) {
    return new Elasticity(unit, minUnits, maxUnits, measured, leadTimeJitter, billingMinimum, scaleInDelay,
        refusalRate, interruptionNotice);
  }
}
