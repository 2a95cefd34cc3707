package dev.flowcast.simulation;

import dev.flowcast.demand.DemandSeries;
import java.time.Duration;

/**
 * Other work on the pools, from a real resource series: the series' time runs {@code speedup}
 * times faster than the replay's, and its values are scaled so that its peak takes
 * {@code peakLoad} of every pool (linear in between, interpolated between grid points).
 */
final class BackgroundLoad {

  private final double[] shares;
  private final Duration step;
  private final double speedup;

  BackgroundLoad(DemandSeries series, double speedup, double peakLoad) {
    double max = 0;
    for (double value : series.values()) {
      max = Math.max(max, value);
    }
    this.shares = new double[series.values().length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = max <= 0 ? 0 : Math.max(0, series.values()[i]) / max * peakLoad;
    }
    this.step = series.step();
    this.speedup = speedup;
  }

  /** The share of each pool taken at {@code sinceStart} into the replay (the series wraps around). */
  double shareAt(Duration sinceStart) {
    if (shares.length == 0) {
      return 0;
    }
    double position = sinceStart.toMillis() * speedup / step.toMillis();
    int index = (int) Math.floor(position);
    double fraction = position - index;
    double a = shares[Math.floorMod(index, shares.length)];
    double b = shares[Math.floorMod(index + 1, shares.length)];
    return a + (b - a) * fraction;
  }
}
