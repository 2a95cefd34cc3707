package dev.flowcast.simulation;

import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceSample;

/**
 * The machine the monitor measures in a replay: CPU and memory taken by the background load at the
 * engine's time, as shares of one (the monitor only uses the free share of each kind); network
 * and disk idle.
 */
final class ReplayedMachine implements MetricsSource {

  private final ReplayState state;

  ReplayedMachine(ReplayState state) {
    this.state = state;
  }

  @Override
  public ResourceSample sample() {
    var now = EngineClock.now();
    double used = state.backgroundShareAt(now);
    return new ResourceSample(now, 1.0, used, 1.0, used, 1.0, 0, 0, 1.0, 0, 0, 0, 0);
  }

  @Override
  public String name() {
    return "replayed-series";
  }
}
