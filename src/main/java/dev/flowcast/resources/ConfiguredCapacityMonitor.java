package dev.flowcast.resources;

import dev.flowcast.config.FlowcastProperties;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Capacity from configuration minus what the reservation ledger holds. */
class ConfiguredCapacityMonitor implements ResourceMonitor {

  private final CapacityCatalog catalog;
  private final ReservationLedger ledger;

  ConfiguredCapacityMonitor(CapacityCatalog catalog, ReservationLedger ledger) {
    this.catalog = catalog;
    this.ledger = ledger;
  }

  @Override
  public ResourceProfile profile(Instant at) {
    Map<String, ResourceDemand> held = ledger.heldPerPool();
    Map<String, PoolCapacity> pools = new HashMap<>();
    catalog
        .pools()
        .forEach(
            (name, pool) -> {
              ResourceDemand capacity = capacityOf(pool);
              ResourceDemand available =
                  capacity.minusClamped(held.getOrDefault(name, ResourceDemand.NONE));
              pools.put(
                  name,
                  new PoolCapacity(
                      name,
                      capacity,
                      available,
                      pool.pricePerVcpuHour(),
                      pool.pricePerGbHour(),
                      pool.interruptionRatePerHour()));
            });
    return new ResourceProfile(at, pools);
  }

  private static ResourceDemand capacityOf(FlowcastProperties.Pool pool) {
    return new ResourceDemand(pool.vcpu(), pool.memoryMb(), pool.networkMbps(), pool.diskIops());
  }
}
