package dev.flowcast.capacity;

import java.util.List;

/**
 * Works out, every tick, the size each pool should have. A planner may keep memory between ticks
 * (the reactive rule's cool-down does). Implementations: {@code predictive} (Flowcast's: the
 * demand predicted at the horizon the pool's lead time needs) and {@code reactive} (what KEDA and
 * the HPA do: queued and running demand now). Declare a bean of this type to replace the
 * configured one.
 */
public interface CapacityPlanner {

  /** The name it is configured by ({@code flowcast.capacity.planner}). */
  String name();

  ScalingPlan plan(PoolOutlook outlook);

  /**
   * Every elastic pool of one tick, planned: each on its own unless the planner weighs one pool's
   * demand against another's (the predictive planner's {@link Overflow}). Plans in the outlooks' order.
   */
  default List<ScalingPlan> planAll(List<PoolOutlook> outlooks) {
    return outlooks.stream().map(this::plan).toList();
  }
}
