package dev.flowcast.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

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
      pause(what);
    }
  }

  /**
   * Waits as long as {@code progress} keeps growing: how long work takes depends on the machine's
   * load, whether it is still moving does not.
   *
   * @throws AssertionError naming {@code what} when {@code progress} has not grown for {@code stall},
   *     or {@code what} has not held after {@code atMost} in all
   */
  static void awaitWhileProgressing(String what, Duration stall, Duration atMost, LongSupplier progress,
      BooleanSupplier condition) {
    Instant start = Instant.now();
    Instant lastProgress = start;
    long seen = progress.getAsLong();
    while (!condition.getAsBoolean()) {
      Instant now = Instant.now();
      long current = progress.getAsLong();
      if (current != seen) {
        seen = current;
        lastProgress = now;
      }
      if (now.isAfter(lastProgress.plus(stall))) {
        throw new AssertionError("no progress for " + stall + " (" + seen + " after "
            + Duration.between(start, now).toSeconds() + " s): " + what);
      }
      if (now.isAfter(start.plus(atMost))) {
        throw new AssertionError("not within " + atMost + ", though still progressing (" + seen + "): " + what);
      }
      pause(what);
    }
  }

  private static void pause(String what) {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what);
    }
  }

  /**
   * Waits, inside code that may not throw (a transaction's callback), until the test lets it go;
   * at most 30 s, so a test that fails before letting go does not hang.
   */
  static void untilLetGo(CountDownLatch letGo) {
    try {
      letGo.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
