package dev.flowcast.demo;

import java.time.Duration;

/**
 * Waits only where a real system would wait (a cloud API provisioning a machine), scaled by
 * {@code flowcast.demo.time-scale}. Everything else the demo components do is real work.
 */
final class DemoWork {

  private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

  private DemoWork() {}

  static void simulateExternalWait(Duration realisticWait, double timeScale) {
    long millis = Math.min((long) (realisticWait.toMillis() * timeScale), LONGEST_WAIT.toMillis());
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the simulated cloud API", e);
    }
  }
}
