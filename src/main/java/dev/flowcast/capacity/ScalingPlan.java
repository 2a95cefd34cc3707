package dev.flowcast.capacity;

import java.time.Duration;
import java.util.Map;

/**
 * A planner's answer for one pool: the size it wants, at which horizon it looked, why in words,
 * and the figures that made it (logged with the {@code SCALE} decision).
 */
public record ScalingPlan(String pool, int desiredUnits, Duration horizon, String reason, Map<String, Double> figures) {

  public ScalingPlan {
    figures = Map.copyOf(figures);
  }
}
