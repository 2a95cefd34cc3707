package dev.flowcast.capacity;

import java.util.List;

/**
 * What the predictive planner does with demand expected in a pool beyond what the pool can hold at
 * its most units: the composer runs a request that does not fit its cheapest pool in another one,
 * so capacity bought for it only in the pool it was priced in is never enough. {@code none}: each
 * pool is planned on its own (every pool sized for the demand priced in it, up to its most units);
 * {@code spill} ({@link SpillToOtherPools}): the excess is added to the other elastic pools' predicted
 * demand. Chosen by {@code flowcast.capacity.overflow}; declare a bean of this type to replace it.
 */
public interface Overflow {

  /** Each pool on its own. */
  Overflow NONE = new Overflow() {
    @Override
    public String name() {
      return "none";
    }

    @Override
    public List<PoolOutlook> spill(List<PoolOutlook> outlooks, double targetUtilization) {
      return outlooks;
    }
  };

  /** The name it is configured by. */
  String name();

  /**
   * The outlooks of one tick, every elastic pool's, with what a pool cannot hold moved to where it
   * is expected to run instead.
   *
   * @param targetUtilization the share of a unit the planner fills: a pool holds its most units times it
   */
  List<PoolOutlook> spill(List<PoolOutlook> outlooks, double targetUtilization);
}
