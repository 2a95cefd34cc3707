package dev.flowcast.capacity;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Flowcast's planner: the size a pool must have when units asked for now would be ready, that is
 * at its lead time plus a margin for the lead time's spread ({@link #JITTER_MARGIN} standard
 * deviations), rounded up to the outlook's next horizon. It sizes for the peak of the demand
 * expected over the horizons from the earliest those units could arrive (the lead time less the
 * margin) to then. The demand expected at a horizon is the work running now and queued, less what
 * it will have released, plus what the intents of active users are predicted to run by then; the
 * series' upper quantile of use is a floor under it (it
 * projects the pool's whole use, so it is not added on top). Never below what the reactive rule
 * asks for now: a prediction may be late, the queue is certain.
 *
 * <p>It gives units back only when the forecast says they stay idle past the billing minimum and
 * the scale-in delay (a unit released and bought again within the minimum is paid twice), and only
 * down to the largest size it asked for over the scale-in delay (the HPA's stabilization): a
 * forecast that dips for one tick does not give back units it wanted a moment ago, or units still on
 * their way. With {@link ScaleInHold#LEAD_TIME} it remembers them over the lead time with its margin
 * when that is longer, so that demand returning sooner than units given back could be bought again
 * finds them still there.
 */
public class PredictivePlanner implements CapacityPlanner {

  public static final String NAME = "predictive";

  /** Standard deviations of the lead time's spread added to it: about 98% of units arrive by then. */
  static final double JITTER_MARGIN = 2.0;

  private final double targetUtilization;
  private final Overflow overflow;
  private final ScaleInHold hold;
  private final StabilizationWindow recommendations = new StabilizationWindow();

  /** Each pool planned on its own ({@link Overflow#NONE}), sizes remembered over the scale-in delay. */
  public PredictivePlanner(double targetUtilization) {
    this(targetUtilization, Overflow.NONE);
  }

  /** @param overflow what becomes of demand expected in a pool beyond its most units */
  public PredictivePlanner(double targetUtilization, Overflow overflow) {
    this(targetUtilization, overflow, ScaleInHold.SCALE_IN_DELAY);
  }

  /** @param hold over how long it gives back no units it wanted */
  public PredictivePlanner(double targetUtilization, Overflow overflow, ScaleInHold hold) {
    this.overflow = overflow;
    this.hold = hold;
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      throw new IllegalArgumentException("the target utilization is a share above 0 and at most 1");
    }
    this.targetUtilization = targetUtilization;
  }

  @Override
  public String name() {
    return NAME;
  }

  public Overflow overflow() {
    return overflow;
  }

  public ScaleInHold hold() {
    return hold;
  }

  @Override
  public List<ScalingPlan> planAll(List<PoolOutlook> outlooks) {
    return overflow.spill(outlooks, targetUtilization).stream().map(this::plan).toList();
  }

  @Override
  public ScalingPlan plan(PoolOutlook outlook) {
    Elasticity elasticity = outlook.elasticity();
    TreeSet<Duration> horizons = horizons(outlook);
    Duration margin = scaled(elasticity.leadTimeJitter(), JITTER_MARGIN);
    Duration needed = elasticity.leadTime().plus(margin);
    Duration horizon = roundUp(horizons, needed);
    // units asked for now arrive between the lead time less and plus its spread: the demand of that
    // whole span is theirs to serve (the next tick's units come a tick later)
    Duration earliest = roundUp(horizons, elasticity.leadTime().minus(margin));

    int reactiveNow = ReactivePlanner.unitsFor(outlook.running().plus(outlook.queued()), elasticity,
        targetUtilization);
    ResourceDemand expected = expected(outlook, horizon);
    for (Duration ahead : horizons.subSet(earliest, true, horizon, false)) {
      expected = expected.max(expected(outlook, ahead));
    }
    int atHorizon = ReactivePlanner.unitsFor(expected, elasticity, targetUtilization);
    int wanted = Math.max(reactiveNow, atHorizon);
    Duration held = hold.span(elasticity.scaleInDelay(), needed);
    int wantedLately = recommendations.highest(outlook.pool(), outlook.now(), wanted, held);

    int current = outlook.size().provisionedUnits();
    Duration keepFor = elasticity.billingMinimum().plus(elasticity.scaleInDelay());
    Duration keepHorizon = roundUp(horizons, keepFor.compareTo(horizon) > 0 ? keepFor : horizon);
    ResourceDemand peakWhileKept = expected;
    int desired = wanted;
    String reason;
    if (wanted > current) {
      reason = atHorizon > reactiveNow ? "demand predicted within the lead time needs more units"
          : "demand now needs more units";
    } else if (wanted == current) {
      reason = "the pool as it is holds the demand predicted at the lead time";
    } else {
      // Idle only if no horizon up to the billing minimum and scale-in delay needs the units.
      for (Duration ahead : horizons.headSet(keepHorizon, true)) {
        peakWhileKept = peakWhileKept.max(expected(outlook, ahead));
      }
      int neededWhileKept = ReactivePlanner.unitsFor(peakWhileKept, elasticity, targetUtilization);
      desired = Math.min(current, Math.max(wantedLately, Math.max(wanted, neededWhileKept)));
      if (desired < current) {
        reason = "the forecast leaves units idle past the billing minimum";
      } else if (neededWhileKept >= current) {
        reason = "units would be needed again before the billing minimum has passed";
      } else {
        reason = held.equals(elasticity.scaleInDelay()) ? "units were wanted within the scale-in delay"
            : "units were wanted within the lead time";
      }
    }
    Map<String, Double> figures = new HashMap<>();
    figures.put("runningVcpu", outlook.running().vcpu());
    figures.put("queuedVcpu", outlook.queued().vcpu());
    figures.put("releasedVcpu", demandAt(outlook.releases(), horizon).vcpu());
    figures.put("predictedVcpu", demandAt(outlook.intents(), horizon).vcpu());
    figures.put("seriesUpperVcpu", demandAt(outlook.seriesUpper(), horizon).vcpu());
    figures.put("expectedVcpu", expected.vcpu());
    figures.put("peakWhileKeptVcpu", peakWhileKept.vcpu());
    figures.put("horizonSeconds", (double) horizon.toSeconds());
    figures.put("reactiveUnits", (double) reactiveNow);
    figures.put("wantedWithinHoldUnits", (double) wantedLately);
    figures.put("holdSeconds", (double) held.toSeconds());
    figures.put("provisionedUnits", (double) current);
    figures.put("targetUtilization", targetUtilization);
    return new ScalingPlan(outlook.pool(), desired, horizon, reason, figures);
  }

  /** What the pool is expected to hold {@code ahead} from now. */
  static ResourceDemand expected(PoolOutlook outlook, Duration ahead) {
    ResourceDemand committed = outlook.running().plus(outlook.queued());
    ResourceDemand fromIntents = committed.minusClamped(demandAt(outlook.releases(), ahead))
        .plus(demandAt(outlook.intents(), ahead));
    return fromIntents.max(demandAt(outlook.seriesUpper(), ahead));
  }

  /** The figure given for {@code ahead}, or for the nearest horizon given before it (nothing before the first). */
  static ResourceDemand demandAt(Map<Duration, ResourceDemand> byHorizon, Duration ahead) {
    ResourceDemand exact = byHorizon.get(ahead);
    if (exact != null) {
      return exact;
    }
    return byHorizon.keySet().stream().filter(h -> h.compareTo(ahead) <= 0).max(Duration::compareTo)
        .map(byHorizon::get).orElse(ResourceDemand.NONE);
  }

  private static TreeSet<Duration> horizons(PoolOutlook outlook) {
    TreeSet<Duration> horizons = new TreeSet<>();
    horizons.addAll(outlook.intents().keySet());
    horizons.addAll(outlook.seriesUpper().keySet());
    horizons.addAll(outlook.releases().keySet());
    return horizons;
  }

  /** The first horizon at or past {@code needed}; the farthest one when none reaches it; {@code needed} when none is given. */
  private static Duration roundUp(TreeSet<Duration> horizons, Duration needed) {
    if (horizons.isEmpty()) {
      return needed;
    }
    Duration ceiling = horizons.ceiling(needed);
    return ceiling != null ? ceiling : horizons.last();
  }

  private static Duration scaled(Duration duration, double factor) {
    return Duration.ofMillis(Math.round(duration.toMillis() * factor));
  }
}
