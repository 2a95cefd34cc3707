package dev.flowcast.simulation;

import dev.flowcast.adaptive.EngineClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulation's own beans share: the strategy being replayed, where the replay started,
 * the background load, and (for the oracle only) the intent each user is really asking for.
 */
final class ReplayState {

  private volatile Strategy strategy = Strategy.FLOWCAST;
  private volatile Instant start = Instant.EPOCH;
  private volatile BackgroundLoad background;
  private final Map<String, String> trueIntents = new ConcurrentHashMap<>();

  void begin(Strategy replayed, Instant at, BackgroundLoad load) {
    this.strategy = replayed;
    this.start = at;
    this.background = load;
    trueIntents.clear();
  }

  Strategy strategy() {
    return strategy;
  }

  Duration sinceStart(Instant now) {
    return Duration.between(start, now);
  }

  double backgroundShareAt(Instant at) {
    BackgroundLoad load = background;
    return load == null ? 0 : load.shareAt(sinceStart(at));
  }

  void asks(String user, String intent) {
    trueIntents.put(user, intent);
  }

  String trueIntentOf(String user) {
    return trueIntents.get(user);
  }

  /** The application's clock in a replay: the engine's clock, which the harness moves. */
  static Clock engineClock() {
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
        return EngineClock.now();
      }
    };
  }
}
