package dev.flowcast.capacity;

import java.time.Instant;
import java.util.List;

/**
 * A pool's size as its provider reports it: the units asked for (provisioned, paid for), those
 * ready to take work, and when the rest are expected.
 *
 * @param provisionedUnits the units asked for and not given back, ready or not
 * @param readyUnits the units that take work now
 * @param arriving the units provisioned but not ready yet, with when each batch is expected
 */
public record PoolSize(String pool, int provisionedUnits, int readyUnits, List<Arrival> arriving) {

  /** Units that will be ready at {@code readyAt} (expected; a provider may be late). */
  public record Arrival(int units, Instant readyAt) {}

  public PoolSize {
    arriving = List.copyOf(arriving);
    if (readyUnits < 0 || provisionedUnits < readyUnits) {
      throw new IllegalArgumentException("a pool has at least as many provisioned units as ready ones");
    }
  }

  /** The units ready at {@code at}: those ready now and those expected by then. */
  public int readyBy(Instant at) {
    return readyUnits + arriving.stream().filter(a -> !a.readyAt().isAfter(at)).mapToInt(Arrival::units).sum();
  }
}
