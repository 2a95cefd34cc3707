package dev.flowcast.adaptive;

import dev.flowcast.adaptive.Degradation.Reason;
import dev.flowcast.adaptive.InstanceState.StepState;
import dev.flowcast.composer.Workflow;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The default policy: a running step past its component's threshold (slow factor × p95, observed
 * or declared); a step to come bound to a component that is slow elsewhere now; remaining steps
 * whose peak no longer fits their pool; a pool with an interruption notice.
 */
class ThresholdDegradationPolicy implements DegradationPolicy {

  /** A failed step is degraded outright, and outranks any slowness as the cause of a switch. */
  static final double FAILED_SEVERITY = 100.0;

  @Override
  public List<Degradation> assess(InstanceState instance, Conditions conditions) {
    List<Degradation> found = new ArrayList<>();
    for (StepState step : instance.steps()) {
      ComponentTimes times = conditions.times().apply(step.task().component());
      String component = step.task().component().name();
      String pool = step.task().pool();
      if (step.phase() == StepState.Phase.RUNNING && step.startedAt() != null) {
        Duration running = Duration.between(step.startedAt(), conditions.now());
        found.add(new Degradation(Reason.SLOW_STEP, step.stepId(), component, pool,
            ratio(running, times.threshold()),
            String.format(Locale.ROOT, "%s on %s@%s running %.1f s, threshold %.1f s (p95 %.1f s, %s)", step.stepId(),
                component, pool, seconds(running), seconds(times.threshold()), seconds(times.p95()),
                times.samples() == 0 ? "declared" : times.samples() + " runs"),
            figures(times, running)));
      }
      if (step.phase() == StepState.Phase.RUNNING && step.failure() != null) {
        // the extreme of a slow step: it does not finish at all
        found.add(new Degradation(Reason.FAILED, step.stepId(), component, pool, FAILED_SEVERITY,
            String.format(Locale.ROOT, "%s on %s@%s failed: %s", step.stepId(), component, pool, step.failure()),
            Map.of("failure", step.failure())));
      }
      if (step.phase() == StepState.Phase.PENDING && times.degraded()) {
        found.add(new Degradation(Reason.SLOW_COMPONENT, step.stepId(), component, pool,
            ratio(times.longestRunning(), times.threshold()),
            String.format(Locale.ROOT, "%s is bound to %s, which has a step running %.1f s, threshold %.1f s", step.stepId(),
                component, seconds(times.longestRunning()), seconds(times.threshold())),
            figures(times, times.longestRunning())));
      }
      if (step.phase() != StepState.Phase.FINISHED && conditions.interruptedPools().contains(pool)) {
        found.add(new Degradation(Reason.INTERRUPTION, step.stepId(), component, pool, 1.0,
            String.format(Locale.ROOT, "%s runs in pool %s, which has an interruption notice", step.stepId(), pool),
            Map.of("pool", pool)));
      }
    }
    found.addAll(capacity(instance, conditions.profile(), conditions.interruptedPools()));
    return found;
  }

  /** The steps to come must still fit, counting what the instance holds as its own. */
  private static List<Degradation> capacity(InstanceState instance, ResourceProfile profile, Set<String> interrupted) {
    Set<String> pending = instance.stepsIn(StepState.Phase.PENDING);
    if (pending.isEmpty()) {
      return List.of();
    }
    Workflow remaining = instance.workflow().only(pending);
    ResourceProfile own = profile.withReturned(instance.reserved());
    List<Degradation> found = new ArrayList<>();
    remaining.peakDemandByPool().forEach((pool, peak) -> {
      if (interrupted.contains(pool)) {
        return; // reported as an interruption
      }
      ResourceDemand free = own.pool(pool).map(PoolCapacity::available).orElse(ResourceDemand.NONE);
      if (!peak.fitsIn(free)) {
        String stepId = remaining.tasks().stream().filter(t -> t.pool().equals(pool)).findFirst()
            .map(t -> t.stepId()).orElse(null);
        found.add(new Degradation(Reason.CAPACITY, stepId, null, pool, 1.0,
            String.format(Locale.ROOT, "the remaining steps need %.1f vCPU / %.0f MB in pool %s, %.1f vCPU / %.0f MB are free",
                peak.vcpu(), peak.memoryMb(), pool, free.vcpu(), free.memoryMb()),
            Map.of("pool", pool, "needVcpu", peak.vcpu(), "needMemoryMb", peak.memoryMb(),
                "freeVcpu", free.vcpu(), "freeMemoryMb", free.memoryMb())));
      }
    });
    return found;
  }

  private static Map<String, Object> figures(ComponentTimes times, Duration running) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("runningSeconds", seconds(running));
    figures.put("thresholdSeconds", seconds(times.threshold()));
    figures.put("p95Seconds", seconds(times.p95()));
    figures.put("typicalSeconds", seconds(times.typical()));
    figures.put("samples", times.samples());
    return figures;
  }

  private static double ratio(Duration value, Duration threshold) {
    return threshold.isZero() ? Double.MAX_VALUE : (double) value.toMillis() / threshold.toMillis();
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
