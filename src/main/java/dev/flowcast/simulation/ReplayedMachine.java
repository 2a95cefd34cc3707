package dev.flowcast.simulation;

import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceSample;

/**
 * The machine the monitor measures in a replay: the simulated pools together, their CPU and memory
 * taken by the background load at the engine's time; network and disk idle. Its capacity is the
 * pools' total in their own units, so that demand the outlook adds (declared by components, in
 * vCPU and MB) is counted against what it would really take.
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
    ResourceDemand pools = state.poolsTogether();
    return new ResourceSample(now, pools.vcpu(), used * pools.vcpu(), pools.memoryMb(), used * pools.memoryMb(),
        pools.networkMbps(), 0, 0, pools.diskIops(), 0, 0, 0, 0);
  }

  @Override
  public String name() {
    return "replayed-series";
  }
}
