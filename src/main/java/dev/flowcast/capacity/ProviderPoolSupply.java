package dev.flowcast.capacity;

import dev.flowcast.resources.PoolSupply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's view of the pools' sizes, from the configured provider. The profile is read on
 * every request: a size is asked of the provider at most once per {@code refresh} (an API call
 * each time would be too slow). When the provider cannot answer, the last size it gave holds, or,
 * before it ever answered, none at all: the composer plans with what is known to be ready.
 */
final class ProviderPoolSupply implements PoolSupply {

  private static final Logger log = LoggerFactory.getLogger(ProviderPoolSupply.class);

  private record Read(Instant at, PoolSize size) {}

  private final CapacityProvider provider;
  private final Duration refresh;
  private final Clock clock;
  private final Map<String, Read> last = new ConcurrentHashMap<>();
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  ProviderPoolSupply(CapacityProvider provider, Duration refresh, Clock clock) {
    this.provider = provider;
    this.refresh = refresh;
    this.clock = clock;
  }

  @Override
  public Optional<Supply> supply(String pool, Instant now) {
    if (provider instanceof FixedCapacityProvider) {
      return Optional.empty(); // the catalog's capacity, exactly as without elastic pools
    }
    return Optional.of(size(pool).map(ProviderPoolSupply::supplyOf).orElse(new Supply(0, java.util.List.of())));
  }

  /** The pool's size as last read (read again when older than the refresh), or empty if never read. */
  Optional<PoolSize> size(String pool) {
    Instant now = clock.instant();
    Read read = last.get(pool);
    if (read == null || read.at().plus(refresh).isBefore(now)) {
      try {
        read = new Read(now, provider.size(pool, now));
        last.put(pool, read);
        if (failing.remove(pool) != null) {
          log.info("FLOWCAST-323 the size of pool {} is read from provider {} again", pool, provider.name());
        }
      } catch (RuntimeException e) {
        if (!e.getMessage().equals(failing.put(pool, e.getMessage()))) {
          log.warn("FLOWCAST-324 the size of pool {} cannot be read from provider {}; planning with {}: {}", pool,
              provider.name(), read == null ? "no ready units" : "its last known size", e.getMessage());
        }
      }
    }
    return Optional.ofNullable(read).map(Read::size);
  }

  /** The tick read the size itself: the monitor takes it too. */
  void remember(PoolSize size) {
    last.put(size.pool(), new Read(clock.instant(), size));
    failing.remove(size.pool());
  }

  /** The size changed (a target was asked for): the next read asks the provider. */
  void forget(String pool) {
    last.remove(pool);
  }

  private static Supply supplyOf(PoolSize size) {
    return new Supply(size.readyUnits(),
        size.arriving().stream().map(a -> new PoolSupply.Arrival(a.units(), a.readyAt())).toList(), size.inUse());
  }
}
