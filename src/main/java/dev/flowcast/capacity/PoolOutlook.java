package dev.flowcast.capacity;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a planner knows of one pool at one tick: how it grows, its size now, the demand running and
 * queued in it now, and, per horizon ahead, the demand predicted to arrive (from the intents of
 * active users), the series' upper quantile of use, and what running work will have released.
 * Planners read what they need: the reactive rule looks only at now.
 *
 * @param running demand of the work that holds the pool now
 * @param queued demand of the requests waiting for this pool now
 * @param intents per horizon, the demand of requests users are predicted to make that will be running
 *     in this pool then (as the outlook and the simulation both work it out)
 * @param seriesUpper per horizon, the upper quantile of the pool's use as the measured series projects it
 * @param releases per horizon, what the running work will have given back by then
 */
public record PoolOutlook(
    String pool,
    Instant now,
    Elasticity elasticity,
    PoolSize size,
    ResourceDemand running,
    ResourceDemand queued,
    Map<Duration, ResourceDemand> intents,
    Map<Duration, ResourceDemand> seriesUpper,
    Map<Duration, ResourceDemand> releases) {

  public PoolOutlook {
    intents = Map.copyOf(intents);
    seriesUpper = Map.copyOf(seriesUpper);
    releases = Map.copyOf(releases);
  }
}
