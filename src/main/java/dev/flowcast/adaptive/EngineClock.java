package dev.flowcast.adaptive;

import java.time.Instant;
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

  /** Back to the system's clock. */
  public static void reset() {
    ClockUtil.reset();
  }
}
