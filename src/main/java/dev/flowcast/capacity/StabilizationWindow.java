package dev.flowcast.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The Horizontal Pod Autoscaler's scale-down stabilization: per pool, the sizes a planner
 * recommended over a window of time, so that a pool shrinks only to the largest of them and a
 * short lull gives back no capacity that is needed again a moment later.
 */
final class StabilizationWindow {

  private record Recommendation(Instant at, int units) {}

  private final Map<String, Deque<Recommendation>> recommendations = new HashMap<>();

  /** Records {@code units} as recommended now, and answers the largest recommended within {@code window}. */
  synchronized int highest(String pool, Instant now, int units, Duration window) {
    Deque<Recommendation> recent = recommendations.computeIfAbsent(pool, p -> new ArrayDeque<>());
    recent.addLast(new Recommendation(now, units));
    Instant start = now.minus(window);
    while (recent.peekFirst().at().isBefore(start)) {
      recent.removeFirst();
    }
    return recent.stream().mapToInt(Recommendation::units).max().orElse(units);
  }
}
