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

  /** Use, in each kind's unit, expected at {@code now + horizon}. */
  record Parts(Map<ResourceKind, Double> intents, Map<ResourceKind, Double> releases) {

    public static final Parts NONE = new Parts(Map.of(), Map.of());

    public Parts {
      intents = Map.copyOf(intents);
      releases = Map.copyOf(releases);
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
