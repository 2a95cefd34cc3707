package dev.flowcast.adaptive;

import dev.flowcast.composer.TaskComponent;
import dev.flowcast.resources.ResourceProfile;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a running composed instance is degraded. Declare a bean of this type to replace
 * the default ({@link ThresholdDegradationPolicy}); hysteresis, cool-down and the switch limit are
 * applied around any policy.
 */
public interface DegradationPolicy {

  /** Every sign found, degraded or approaching; empty when all is well. */
  List<Degradation> assess(InstanceState instance, Conditions conditions);

  /**
   * What holds for every instance at one check.
   *
   * @param interruptedPools pools with an interruption notice
   * @param times each component's observed (or declared) durations
   */
  record Conditions(
      Instant now, ResourceProfile profile, Set<String> interruptedPools,
      Function<TaskComponent, ComponentTimes> times) {}
}
