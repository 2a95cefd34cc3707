package dev.flowcast.adaptive;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The engine's own clock, for a harness that drives time itself (the strategy simulation): the
 * engine keeps it in an internal class, which only this package may touch.
 */
public final class EngineClock {

  private EngineClock() {}

  public static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  public static void set(Instant now) {
    ClockUtil.setCurrentTime(Date.from(now));
  }

  /** The engine's clock as a {@link Clock}: the application's clock where a harness or a test moves the engine's. */
  public static Clock asClock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /** Back to the system's clock. */
  public static void reset() {
    ClockUtil.reset();
  }
}
