package dev.flowcast.simulation;

import dev.flowcast.composer.DurationEstimates;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
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
  private volatile boolean backgroundOn = true;
  private final Map<String, String> trueIntents = new ConcurrentHashMap<>();
  private volatile FlowcastProperties.Scoring weights;
  private volatile DurationEstimates durations = DurationEstimates.declared();
  private volatile ResourceDemand poolsTogether = new ResourceDemand(1, 1, 1, 1);

  /** @param withBackground false on elastic pools: they are the workflows' own, no other work shares them */
  void begin(Strategy replayed, Instant at, BackgroundLoad load, boolean withBackground) {
    this.backgroundOn = withBackground;
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
    return load == null || !backgroundOn ? 0 : load.shareAt(sinceStart(at));
  }

  /** Scoring weights that replace the configured ones for the next replays; null for the configured. */
  void weigh(FlowcastProperties.Scoring replaced) {
    this.weights = replaced;
  }

  FlowcastProperties.Scoring weights() {
    return weights;
  }

  void estimatesFrom(DurationEstimates estimates) {
    this.durations = estimates;
  }

  DurationEstimates durations() {
    return durations;
  }

  /** What the simulated pools hold together: the replayed machine's capacity. */
  void poolsHold(ResourceDemand together) {
    this.poolsTogether = together;
  }

  ResourceDemand poolsTogether() {
    return poolsTogether;
  }

  void asks(String user, String intent) {
    trueIntents.put(user, intent);
  }

  String trueIntentOf(String user) {
    return trueIntents.get(user);
  }
}
