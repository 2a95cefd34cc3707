package dev.flowcast.resources;

import java.time.Duration;
import java.util.List;

/**
 * Least-squares line through the recent use, extended to the horizon but never further ahead than
 * the window reaches back; the upper bound adds z residual standard deviations (z = 1.645 gives a
 * one-sided 95% bound under normal errors). Both are kept within [0, capacity].
 */
class TrendDemandForecaster implements DemandForecaster {

  private final double z;

  TrendDemandForecaster(double z) {
    this.z = z;
  }

  @Override
  public String name() {
    return "trend";
  }

  @Override
  public Projection projectUse(ResourceKind kind, List<ResourceSample> recent, Duration horizon) {
    ResourceSample last = recent.get(recent.size() - 1);
    double capacity = last.capacity(kind);
    int n = recent.size();
    if (n < 3) {
      double now = last.used(kind);
      return new Projection(clamp(now, capacity), clamp(now, capacity));
    }
    double t0 = recent.get(0).at().toEpochMilli() / 1000.0;
    double sumT = 0, sumY = 0, sumTT = 0, sumTY = 0;
    for (ResourceSample sample : recent) {
      double t = sample.at().toEpochMilli() / 1000.0 - t0;
      double y = sample.used(kind);
      sumT += t;
      sumY += y;
      sumTT += t * t;
      sumTY += t * y;
    }
    double denominator = n * sumTT - sumT * sumT;
    double slope = denominator == 0 ? 0 : (n * sumTY - sumT * sumY) / denominator;
    double intercept = (sumY - slope * sumT) / n;
    double squaredResiduals = 0;
    for (ResourceSample sample : recent) {
      double t = sample.at().toEpochMilli() / 1000.0 - t0;
      double residual = sample.used(kind) - (intercept + slope * t);
      squaredResiduals += residual * residual;
    }
    double sd = Math.sqrt(squaredResiduals / (n - 2));
    // Extrapolate no further than the window reaches back: a slope fitted on seconds of noise,
    // carried a quarter of an hour ahead, says nothing.
    double span = last.at().toEpochMilli() / 1000.0 - t0;
    double target = span + Math.min(horizon.toSeconds(), span);
    double expected = intercept + slope * target;
    return new Projection(clamp(expected, capacity), clamp(expected + z * sd, capacity));
  }

  private static double clamp(double value, double capacity) {
    return Math.max(0, Math.min(capacity, value));
  }
}
