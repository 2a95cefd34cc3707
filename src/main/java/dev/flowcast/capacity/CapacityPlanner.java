package dev.flowcast.capacity;

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
}
