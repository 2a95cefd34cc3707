package dev.flowcast.resources;

import dev.flowcast.config.FlowcastProperties;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configured pools ({@code flowcast.resources.pools.*}): capacity, prices and interruption
 * rates. An administrator may change a pool at run time; the change holds on this node until it
 * restarts. Measured capacity and a price catalog file replace this once the monitor lands.
 */
public class CapacityCatalog {

  private final AtomicReference<Map<String, FlowcastProperties.Pool>> pools;

  public CapacityCatalog(Map<String, FlowcastProperties.Pool> configured) {
    this.pools = new AtomicReference<>(Map.copyOf(configured));
  }

  public Map<String, FlowcastProperties.Pool> pools() {
    return new TreeMap<>(pools.get());
  }

  /** Replaces one existing pool's settings. */
  public void update(String name, FlowcastProperties.Pool pool) {
    pools.updateAndGet(
        current -> {
          if (!current.containsKey(name)) {
            throw new NoSuchElementException("unknown pool '" + name + "', known: " + current.keySet());
          }
          Map<String, FlowcastProperties.Pool> next = new TreeMap<>(current);
          next.put(name, pool);
          return Map.copyOf(next);
        });
  }
}
