package dev.flowcast.resources;

import java.time.Duration;
import java.util.List;

/**
 * Projects the use of a resource kind a few minutes ahead from its measurements. The default
 * follows the recent trend; the prediction component replaces it with a model trained on this
 * node's measured history once there is enough of it. Declare a bean of this type to replace it.
 */
public interface DemandForecaster {

  /**
   * @param recent the recent samples, oldest first (never empty)
   * @return projected use in the kind's unit: expected and upper quantile
   */
  Projection projectUse(ResourceKind kind, List<ResourceSample> recent, Duration horizon);

  /** A short name for the profile, e.g. {@code trend}, with the reason when a better one cannot answer. */
  String name();

  /**
   * The recent trend of the measured use: the default, and what a learned forecaster falls back to.
   *
   * @param upperQuantileZ residual standard deviations added for the upper bound
   */
  static DemandForecaster trend(double upperQuantileZ) {
    return new TrendDemandForecaster(upperQuantileZ);
  }
}
