package dev.flowcast.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection for tests and demos: a component's simulated work made {@code slowdownFactor}
 * times slower for a while. Only the example domain's pacing reads it; nothing real is slowed.
 */
public class DemoFaults {

  public static final double MAX_FACTOR = 1000;
  public static final Duration MAX_LENGTH = Duration.ofDays(1);

  /** One injected slowdown. */
  public record Fault(String component, double slowdownFactor, Instant since, Instant until) {}

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException for a factor outside [1, 1000] or a length outside (0, 1 day]
   */
  public Fault inject(String component, double slowdownFactor, Duration lasting, Instant now) {
    if (!(slowdownFactor >= 1 && slowdownFactor <= MAX_FACTOR)) {
      throw new IllegalArgumentException("slowdownFactor must be between 1 and " + (int) MAX_FACTOR);
    }
    if (lasting.isNegative() || lasting.isZero() || lasting.compareTo(MAX_LENGTH) > 0) {
      throw new IllegalArgumentException("seconds must be between 1 and " + MAX_LENGTH.toSeconds());
    }
    Fault fault = new Fault(component, slowdownFactor, now, now.plus(lasting));
    faults.put(component, fault);
    return fault;
  }

  /** @return whether a fault was active */
  public boolean end(String component) {
    return faults.remove(component) != null;
  }

  public Map<String, Fault> active(Instant now) {
    faults.values().removeIf(f -> !f.until().isAfter(now));
    return new TreeMap<>(faults);
  }

  double slowdownOf(String component, Instant now) {
    Fault fault = active(now).get(component);
    return fault == null ? 1.0 : fault.slowdownFactor();
  }
}
