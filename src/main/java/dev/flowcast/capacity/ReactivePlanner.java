package dev.flowcast.capacity;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What KEDA and the Horizontal Pod Autoscaler do: the size that would hold the demand queued and
 * running now at the target utilization, {@code ceil((queued + running vCPU) / (unit vCPU x target))},
 * between the pool's minimum and maximum (for the scarcest kind the unit offers: a request short of
 * memory or disk does not fit in units that have the vCPU for it). It grows at once and shrinks only to the largest size
 * it recommended over the cool-down (the HPA's scale-down stabilization window), so a short lull
 * does not give back capacity that is needed again a moment later. Predictions are not looked at.
 * It keeps those recommendations between ticks, per pool.
 */
public class ReactivePlanner implements CapacityPlanner {

  public static final String NAME = "reactive";

  private final double targetUtilization;
  private final Duration cooldown;
  private final StabilizationWindow recommendations = new StabilizationWindow();

  public ReactivePlanner(double targetUtilization, Duration cooldown) {
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      throw new IllegalArgumentException("the target utilization is a share above 0 and at most 1");
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("the cool-down must not be negative");
    }
    this.targetUtilization = targetUtilization;
    this.cooldown = cooldown;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ScalingPlan plan(PoolOutlook outlook) {
    Elasticity elasticity = outlook.elasticity();
    int recommended = unitsFor(outlook.queued().plus(outlook.running()), elasticity, targetUtilization);
    int highestInWindow = recommendations.highest(outlook.pool(), outlook.now(), recommended, cooldown);
    int current = outlook.size().provisionedUnits();
    int desired;
    String reason;
    if (recommended >= current) {
      desired = recommended;
      reason = recommended == current ? "demand now fits the pool as it is" : "demand now needs more units";
    } else {
      desired = Math.min(current, highestInWindow);
      reason = desired < current ? "demand has been lower for the whole cool-down" : "waiting for the cool-down before giving units back";
    }
    Map<String, Double> figures = new HashMap<>();
    figures.put("queuedVcpu", outlook.queued().vcpu());
    figures.put("runningVcpu", outlook.running().vcpu());
    figures.put("targetUtilization", targetUtilization);
    figures.put("recommendedUnits", (double) recommended);
    figures.put("provisionedUnits", (double) current);
    figures.put("cooldownSeconds", (double) cooldown.toSeconds());
    return new ScalingPlan(outlook.pool(), desired, Duration.ZERO, reason, figures);
  }

  /**
   * The units that hold {@code demand} at {@code utilization}, for the scarcest kind a unit offers,
   * within the pool's minimum and maximum.
   */
  static int unitsFor(ResourceDemand demand, Elasticity elasticity, double utilization) {
    ResourceDemand unit = elasticity.unit();
    double exact = Math.max(Math.max(share(demand.vcpu(), unit.vcpu()), share(demand.memoryMb(), unit.memoryMb())),
        Math.max(share(demand.networkMbps(), unit.networkMbps()), share(demand.diskIops(), unit.diskIops())))
        / utilization;
    // A hair above a whole number is that whole number: 2.0000000001 units of demand is 2 units.
    int units = (int) Math.ceil(exact - 1e-9);
    return Math.max(elasticity.minUnits(), Math.min(elasticity.maxUnits(), units));
  }

  /** Units of a kind the demand needs; kinds a unit does not offer are not sized for. */
  private static double share(double needed, double perUnit) {
    return perUnit <= 0 ? 0 : needed / perUnit;
  }
}
