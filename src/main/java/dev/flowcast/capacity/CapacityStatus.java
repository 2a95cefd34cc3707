package dev.flowcast.capacity;

import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The elastic pools as they stand: each one's size from the provider and the size the planner
 * wants (shared by every node through the database). What the KEDA endpoint, the gauges and the
 * dashboard show.
 */
public final class CapacityStatus {

  /**
   * One elastic pool.
   *
   * @param provisionedUnits units asked for, ready or not; null when the provider cannot say
   * @param readyUnits units ready now; null when the provider cannot say
   * @param desiredUnits the planner's latest size; the pool's minimum before its first plan
   * @param decidedAt when the planner last sized it, or null before its first plan
   */
  public record PoolState(String pool, Integer provisionedUnits, Integer readyUnits, int desiredUnits, int minUnits,
      int maxUnits, double unitVcpu, double unitMemoryMb, String planner, Instant decidedAt) {}

  private final PriceCatalog catalog;
  private final ProviderPoolSupply sizes;
  private final PoolTargets targets;
  private final CapacityProvider provider;
  private final String planner;
  private final boolean acting;

  CapacityStatus(PriceCatalog catalog, ProviderPoolSupply sizes, PoolTargets targets, CapacityProvider provider,
      String planner, boolean acting) {
    this.catalog = catalog;
    this.sizes = sizes;
    this.targets = targets;
    this.provider = provider;
    this.planner = planner;
    this.acting = acting;
  }

  /** The configured provider's name. */
  public String provider() {
    return provider.name();
  }

  /** Why the configured provider cannot have units of {@code unit} in {@code pool}; empty when it can. */
  public Optional<String> unitMismatch(String pool, ResourceDemand unit) {
    return provider.unitMismatch(pool, unit);
  }

  public String planner() {
    return planner;
  }

  /** Whether the planner's sizes are asked of the provider (false: shadow mode, or a fixed provider). */
  public boolean acting() {
    return acting;
  }

  /** Every elastic pool of the catalog, by name. */
  public List<PoolState> pools() {
    Map<String, PoolTargets.Target> wanted = targets.all();
    List<PoolState> pools = new ArrayList<>();
    for (PricedPool pool : catalog.pools().values()) {
      if (pool.elasticity() == null) {
        continue;
      }
      PoolSize size = sizes.size(pool.name()).orElse(null);
      PoolTargets.Target target = wanted.get(pool.name());
      pools.add(new PoolState(pool.name(), size == null ? null : size.provisionedUnits(),
          size == null ? null : size.readyUnits(),
          target == null ? pool.elasticity().minUnits() : target.desiredUnits(), pool.elasticity().minUnits(),
          pool.elasticity().maxUnits(), pool.elasticity().unit().vcpu(), pool.elasticity().unit().memoryMb(),
          target == null ? null : target.planner(), target == null ? null : target.decidedAt()));
    }
    return pools;
  }

  /** One pool's state, or null when it is not an elastic pool of the catalog. */
  public PoolState pool(String name) {
    return pools().stream().filter(p -> p.pool().equals(name)).findFirst().orElse(null);
  }
}
