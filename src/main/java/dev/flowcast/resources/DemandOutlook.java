package dev.flowcast.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What is known to be coming and going that the measured series cannot know: demand that
 * predictions say users are about to start, and what running instances hold now but will have
 * released by then. The monitor adds the first to the series forecast and takes the second off it.
 * The default knows nothing; Flowcast's outlook component predicts it. Declare a bean of this type
 * to replace it.
 */
public interface DemandOutlook {

  /**
   * Use, in each kind's unit, expected at {@code now + horizon}; and the same per pool (what the
   * capacity planner sizes each elastic pool by).
   */
  record Parts(Map<ResourceKind, Double> intents, Map<ResourceKind, Double> releases,
      Map<String, ResourceDemand> intentsByPool, Map<String, ResourceDemand> releasesByPool) {

    public static final Parts NONE = new Parts(Map.of(), Map.of());

    public Parts {
      intents = Map.copyOf(intents);
      releases = Map.copyOf(releases);
      intentsByPool = Map.copyOf(intentsByPool);
      releasesByPool = Map.copyOf(releasesByPool);
    }

    /** Parts known only as totals over the pools. */
    public Parts(Map<ResourceKind, Double> intents, Map<ResourceKind, Double> releases) {
      this(intents, releases, Map.of(), Map.of());
    }

    public ResourceDemand intentsIn(String pool) {
      return intentsByPool.getOrDefault(pool, ResourceDemand.NONE);
    }

    public ResourceDemand releasesIn(String pool) {
      return releasesByPool.getOrDefault(pool, ResourceDemand.NONE);
    }

    public double intents(ResourceKind kind) {
      return intents.getOrDefault(kind, 0.0);
    }

    public double releases(ResourceKind kind) {
      return releases.getOrDefault(kind, 0.0);
    }
  }

  Parts at(Instant now, Duration horizon);

  /** Knows nothing coming or going: the series forecast alone. */
  static DemandOutlook none() {
    return (now, horizon) -> Parts.NONE;
  }
}
