package dev.flowcast.demand;

import java.util.ArrayDeque;

/**
 * The upper bound of one kind and horizon, adapted online (adaptive conformal inference, Gibbs and
 * Candès 2021): each upper forecast is remembered until the moment it forecast; then, with what was
 * measured, the bound widens a little after a miss and narrows a little after a hit, so that its
 * coverage returns to the nominal level when the series changes. The application and
 * {@code evaluate-projection} run this same code.
 */
final class OnlineWidening {

  private static final double STEP = 0.05;

  private record Pending(long dueStep, double upper) {}

  private final double nominal;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private double widening;
  private long lastOrigin = Long.MIN_VALUE;

  OnlineWidening(double nominal) {
    this.nominal = nominal;
  }

  /** Extra width, in units of recent volatility, above the calibrated upper bound. */
  synchronized double current() {
    return widening;
  }

  /** Remembers the upper forecast made at step {@code origin} for step {@code dueStep}, once per origin. */
  synchronized void forecastMade(long origin, long dueStep, double upper) {
    if (origin == lastOrigin) {
      return;
    }
    lastOrigin = origin;
    pending.addLast(new Pending(dueStep, upper));
    while (pending.size() > 64) {
      pending.removeFirst(); // outcomes that never came (no measurements): do not grow without bound
    }
  }

  /** Learns from every remembered forecast whose moment has come, given what was measured at a step. */
  synchronized void learn(long nowStep, java.util.function.LongToDoubleFunction measuredAt) {
    while (!pending.isEmpty() && pending.peekFirst().dueStep() <= nowStep) {
      Pending due = pending.removeFirst();
      double truth = measuredAt.applyAsDouble(due.dueStep());
      if (Double.isNaN(truth)) {
        continue;
      }
      widening += truth <= due.upper() ? -STEP * (1 - nominal) : STEP * nominal;
    }
  }
}
