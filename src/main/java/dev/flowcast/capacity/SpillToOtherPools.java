package dev.flowcast.capacity;

import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The demand a pool is expected to hold at a horizon beyond its most units (at the target
 * utilization) is predicted demand of the other elastic pools, cheapest first and each up to what it
 * holds at its most units beyond its own expected demand: where the composer, which takes the
 * cheapest candidate that fits, will run what the full pool cannot take. A pool's expected demand
 * is the predictive planner's ({@link PredictivePlanner#expected}).
 *
 * <p>It assumes the excess may run in any other elastic pool. A step that only one pool's component
 * provides (on the demo's catalog: restore, on on-demand) cannot move; the excess is then bought in
 * vain in the pool it spills to, for as long as the prediction lasts.
 */
public class SpillToOtherPools implements Overflow {

  public static final String NAME = "spill";

  private final ToDoubleFunction<String> pricePerVcpuHour;

  /** @param pricePerVcpuHour each pool's price, which orders the pools the excess goes to */
  public SpillToOtherPools(ToDoubleFunction<String> pricePerVcpuHour) {
    this.pricePerVcpuHour = pricePerVcpuHour;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PoolOutlook> spill(List<PoolOutlook> outlooks, double targetUtilization) {
    if (outlooks.size() < 2) {
      return outlooks;
    }
    TreeSet<Duration> horizons = new TreeSet<>();
    for (PoolOutlook outlook : outlooks) {
      horizons.addAll(outlook.intents().keySet());
      horizons.addAll(outlook.seriesUpper().keySet());
      horizons.addAll(outlook.releases().keySet());
    }
    List<PoolOutlook> byPrice = outlooks.stream()
        .sorted(Comparator.comparingDouble((PoolOutlook o) -> pricePerVcpuHour.applyAsDouble(o.pool()))
            .thenComparing(PoolOutlook::pool))
        .toList();
    Map<String, Map<Duration, ResourceDemand>> added = new HashMap<>();
    for (Duration horizon : horizons) {
      Map<String, ResourceDemand> expected = new HashMap<>();
      Map<String, Double> room = new HashMap<>();
      for (PoolOutlook outlook : outlooks) {
        ResourceDemand demand = PredictivePlanner.expected(outlook, horizon);
        expected.put(outlook.pool(), demand);
        room.put(outlook.pool(), mostVcpu(outlook, targetUtilization) - demand.vcpu());
      }
      for (PoolOutlook full : byPrice) {
        double excess = -room.get(full.pool());
        if (excess <= 1e-9) {
          continue;
        }
        ResourceDemand demand = expected.get(full.pool());
        for (PoolOutlook other : byPrice) {
          double free = room.get(other.pool());
          if (other == full || free <= 1e-9) {
            continue;
          }
          double moved = Math.min(excess, free);
          room.merge(other.pool(), -moved, Double::sum);
          excess -= moved;
          added.computeIfAbsent(other.pool(), p -> new HashMap<>())
              .merge(horizon, demand.times(moved / demand.vcpu()), ResourceDemand::plus);
          if (excess <= 1e-9) {
            break;
          }
        }
      }
    }
    List<PoolOutlook> spilled = new ArrayList<>();
    for (PoolOutlook outlook : outlooks) {
      Map<Duration, ResourceDemand> more = added.get(outlook.pool());
      if (more == null) {
        spilled.add(outlook);
        continue;
      }
      // the planner reads a horizon not given as the nearest before it: every horizon is given here
      Map<Duration, ResourceDemand> intents = new HashMap<>();
      for (Duration horizon : horizons) {
        intents.put(horizon, PredictivePlanner.demandAt(outlook.intents(), horizon)
            .plus(more.getOrDefault(horizon, ResourceDemand.NONE)));
      }
      spilled.add(new PoolOutlook(outlook.pool(), outlook.now(), outlook.elasticity(), outlook.size(),
          outlook.running(), outlook.queued(), intents, outlook.seriesUpper(), outlook.releases()));
    }
    return spilled;
  }

  private static double mostVcpu(PoolOutlook outlook, double targetUtilization) {
    return outlook.elasticity().of(outlook.elasticity().maxUnits()).vcpu() * targetUtilization;
  }
}
