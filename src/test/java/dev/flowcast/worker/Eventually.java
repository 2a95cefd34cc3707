package dev.flowcast.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for what workers and heartbeats bring about in their own time, up to a patience. */
final class Eventually {

  private Eventually() {}

  /** @throws AssertionError naming {@code what} when it does not hold within {@code patience} */
  static void await(String what, Duration patience, BooleanSupplier condition) {
    Instant until = Instant.now().plus(patience);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("not within " + patience + ": " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
