package dev.flowcast.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection for tests and demos: for a while, a component's simulated work made
 * {@code slowdownFactor} times slower, or made to fail (its job throws, as a broken dependency
 * would make it). Only the example domain's pacing reads it; nothing real is slowed or broken.
 */
public class DemoFaults {

  public static final double MAX_FACTOR = 1000;
  public static final Duration MAX_LENGTH = Duration.ofDays(1);

  /** One injected fault: a slowdown (factor above 1), or a failure ({@code fail}, factor 1). */
  public record Fault(String component, double slowdownFactor, boolean fail, Instant since, Instant until) {}

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException for a factor outside [1, 1000] or a length outside (0, 1 day]
   */
  public Fault inject(String component, double slowdownFactor, Duration lasting, Instant now) {
    if (!(slowdownFactor >= 1 && slowdownFactor <= MAX_FACTOR)) {
      throw new IllegalArgumentException("slowdownFactor must be between 1 and " + (int) MAX_FACTOR);
    }
    return put(new Fault(component, slowdownFactor, false, now, now.plus(checked(lasting))));
  }

  /** The component's work fails from now on, for a while. */
  public Fault injectFailure(String component, Duration lasting, Instant now) {
    return put(new Fault(component, 1.0, true, now, now.plus(checked(lasting))));
  }

  private Fault put(Fault fault) {
    faults.put(fault.component(), fault);
    return fault;
  }

  private static Duration checked(Duration lasting) {
    if (lasting.isNegative() || lasting.isZero() || lasting.compareTo(MAX_LENGTH) > 0) {
      throw new IllegalArgumentException("seconds must be between 1 and " + MAX_LENGTH.toSeconds());
    }
    return lasting;
  }

  /** @return whether a fault was active */
  public boolean end(String component) {
    return faults.remove(component) != null;
  }

  public Map<String, Fault> active(Instant now) {
    faults.values().removeIf(f -> !f.until().isAfter(now));
    return new TreeMap<>(faults);
  }

  boolean failing(String component, Instant now) {
    Fault fault = active(now).get(component);
    return fault != null && fault.fail();
  }

  double slowdownOf(String component, Instant now) {
    Fault fault = active(now).get(component);
    return fault == null ? 1.0 : fault.slowdownFactor();
  }
}
