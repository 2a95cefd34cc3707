package dev.flowcast.resources;

import java.time.Duration;
import java.util.List;

/**
 * Projects the use of a resource kind a few minutes ahead from its recent measurements. The
 * default follows the recent trend; the prediction component replaces it with a trained model.
 * Declare a bean of this type to replace it.
 */
public interface DemandForecaster {

  /**
   * @param recent the recent samples, oldest first (never empty)
   * @return projected use in the kind's unit: expected and upper quantile
   */
  Projection projectUse(ResourceKind kind, List<ResourceSample> recent, Duration horizon);

  /** A short name for the profile, e.g. {@code trend}. */
  String name();
}
