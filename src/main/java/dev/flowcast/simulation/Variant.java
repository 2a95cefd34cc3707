package dev.flowcast.simulation;

import java.time.Duration;

/**
 * A strategy with the planner settings it runs with, under the label it is reported by (the
 * strategy's own, or with its settings when several are tried on the same replay).
 *
 * @param targetUtilization the share of a pool's units its planner aims to keep busy
 * @param cooldown how long the reactive rule waits before it gives units back
 */
public record Variant(Strategy strategy, String label, double targetUtilization, Duration cooldown) {

  public static Variant of(Strategy strategy) {
    return new Variant(strategy, strategy.label(), ElasticSetup.DEFAULT_TARGET_UTILIZATION, ElasticSetup.DEFAULT_COOLDOWN);
  }
}
