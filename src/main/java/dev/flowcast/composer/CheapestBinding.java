package dev.flowcast.composer;

import dev.flowcast.resources.PricedPool;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a request is expected to run once capacity has been bought for it: of the candidates, the one
 * whose run costs least at the pools' prices (each step's requirements for its component's expected
 * duration). With room in every pool that is the composer's own choice: the cheapest candidate's
 * cost term is the largest, and no pool's fit sets it apart. Capacity bought for a predicted request
 * is bought where the request will then run: a step that may run anywhere counts in the cheapest
 * pool (spot, not on-demand), a step bound to one pool in that pool.
 */
final class CheapestBinding {

  private CheapestBinding() {}

  /** The cheapest of the candidates at the pools' prices; the first in their order among equals. */
  static Optional<Workflow> in(List<Workflow> candidates, Map<String, PricedPool> pools) {
    Workflow cheapest = null;
    double least = Double.POSITIVE_INFINITY;
    for (Workflow candidate : candidates) {
      double price = priceOfOneRun(candidate, pools);
      if (price < least) {
        least = price;
        cheapest = candidate;
      }
    }
    return Optional.ofNullable(cheapest);
  }

  /** Infinite when a step is bound to a pool without a price. */
  private static double priceOfOneRun(Workflow workflow, Map<String, PricedPool> pools) {
    double price = 0;
    for (Task task : workflow.tasks()) {
      PricedPool pool = pools.get(task.pool());
      if (pool == null) {
        return Double.POSITIVE_INFINITY;
      }
      price += pool.costOf(task.requirements(), task.component().expectedDuration().toMillis() / 3_600_000.0);
    }
    return price;
  }
}
