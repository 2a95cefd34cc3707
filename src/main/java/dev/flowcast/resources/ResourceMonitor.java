package dev.flowcast.resources;

import java.time.Instant;
import java.util.Set;

/**
 * Tells the composer how much capacity each pool will have free and what it costs. Declare a bean
 * of this type to replace the default.
 */
public interface ResourceMonitor {

  ResourceProfile profile(Instant at);

  /**
   * The profile of these pools at least (others may be left out), as {@link #profile(Instant)}
   * has them: for a check that concerns these pools alone, such as the one made under their locks.
   * By default the whole profile.
   */
  default ResourceProfile profile(Instant at, Set<String> pools) {
    return profile(at);
  }
}
