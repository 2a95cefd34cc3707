package dev.flowcast.capacity;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.List;

/**
 * Today's behaviour, and the default: a pool holds its catalog capacity all the time. Its size in
 * units is what that capacity holds; nothing is ever asked for.
 */
final class FixedCapacityProvider implements CapacityProvider {

  static final String NAME = "fixed";

  private final PriceCatalog catalog;

  FixedCapacityProvider(PriceCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PoolSize size(String pool, Instant now) {
    int units = unitsHeldBy(known(pool));
    return new PoolSize(pool, units, units, List.of());
  }

  @Override
  public void requestTarget(String pool, int units, Instant now) {
    known(pool);
    throw new CapacityRequestException("pool sizes are fixed (flowcast.capacity.provider=fixed): '" + pool
        + "' keeps its catalog capacity");
  }

  private PricedPool known(String pool) {
    PricedPool priced = catalog.pools().get(pool);
    if (priced == null) {
      throw new CapacityRequestException("no pool '" + pool + "' in the price catalog");
    }
    return priced;
  }

  /** Whole units within the catalog capacity (a fixed pool counts as one unit of itself). */
  static int unitsHeldBy(PricedPool pool) {
    Elasticity elasticity = pool.elasticity();
    if (elasticity == null) {
      return 1;
    }
    ResourceDemand unit = elasticity.unit();
    double byCpu = pool.capacity().vcpu() / unit.vcpu();
    double byMemory = unit.memoryMb() > 0 ? pool.capacity().memoryMb() / unit.memoryMb() : byCpu;
    return (int) Math.floor(Math.min(byCpu, byMemory));
  }
}
