package dev.flowcast.resources;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Free capacity and prices per pool at one moment, as seen by the {@link ResourceMonitor}. */
public record ResourceProfile(Instant at, Map<String, PoolCapacity> pools) {

  public ResourceProfile {
    pools = Map.copyOf(pools);
  }

  public Optional<PoolCapacity> pool(String name) {
    return Optional.ofNullable(pools.get(name));
  }
}
