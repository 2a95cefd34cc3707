package dev.flowcast.capacity;

import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cloud for tests: units asked for become ready one lead time (the catalog's) after the
 * request; its API can be made to refuse requests or reads, as a real one that is down would.
 */
final class TestCloud implements CapacityProvider {

  static final String NAME = "test-cloud";

  private record Request(int units, Instant at) {}

  private final PriceCatalog catalog;
  private final Map<String, Integer> ready = new ConcurrentHashMap<>();
  private final Map<String, Request> requested = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, ResourceDemand> busy = new ConcurrentHashMap<>();
  private volatile Duration measuredLeadTime;
  private volatile String refusing;
  private volatile String unreadable;

  TestCloud(PriceCatalog catalog) {
    this.catalog = catalog;
    reset();
  }

  void reset() {
    ready.clear();
    requested.clear();
    requests.set(0);
    busy.clear();
    measuredLeadTime = null;
    refusing = null;
    unreadable = null;
    ready.put("on-demand", 1);
    ready.put("spot", 0);
  }

  /** {@code units} ready in {@code pool} now, nothing on its way. */
  void readyNow(String pool, int units) {
    ready.put(pool, units);
    requested.remove(pool);
  }

  /** The pool's units report this busy (as workers' slots in use are). */
  void busy(String pool, ResourceDemand inUse) {
    busy.put(pool, inUse);
  }

  /** The cloud has measured how long its units take (as local workers measure their start-up). */
  void measuredLeadTime(Duration leadTime) {
    measuredLeadTime = leadTime;
  }

  @Override
  public Optional<Duration> measuredLeadTime(String pool) {
    return Optional.ofNullable(measuredLeadTime);
  }

  void failWith(String reason) {
    refusing = reason;
  }

  void failReadsWith(String reason) {
    unreadable = reason;
  }

  int provisioned(String pool) {
    Request last = requested.get(pool);
    return last == null ? ready.getOrDefault(pool, 0) : last.units();
  }

  int requests() {
    return requests.get();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PoolSize size(String pool, Instant now) {
    if (unreadable != null) {
      throw new CapacityRequestException(unreadable);
    }
    int readyNow = ready.getOrDefault(pool, 0);
    Request last = requested.get(pool);
    if (last == null) {
      return new PoolSize(pool, readyNow, readyNow, List.of(), busy.get(pool));
    }
    Instant due = last.at().plus(catalog.pools().get(pool).elasticity().leadTime());
    if (!due.isAfter(now) || last.units() <= readyNow) {
      return new PoolSize(pool, last.units(), last.units(), List.of());
    }
    return new PoolSize(pool, last.units(), readyNow, List.of(new PoolSize.Arrival(last.units() - readyNow, due)));
  }

  @Override
  public void requestTarget(String pool, int units, Instant now) {
    requests.incrementAndGet();
    if (refusing != null) {
      throw new CapacityRequestException(refusing);
    }
    requested.put(pool, new Request(units, now));
  }
}
