package dev.flowcast.capacity;

import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.List;

/**
 * A pool's size as its provider reports it: the units asked for (provisioned, paid for), those
 * ready to take work, and when the rest are expected.
 *
 * @param provisionedUnits the units asked for and not given back, ready or not
 * @param readyUnits the units that take work now
 * @param arriving the units provisioned but not ready yet, with when each batch is expected
 * @param inUse what the pool's units report busy now (a worker's slots running a step), when the
 *     provider knows it; {@link ResourceDemand#NONE} when it does not
 */
public record PoolSize(String pool, int provisionedUnits, int readyUnits, List<Arrival> arriving, ResourceDemand inUse) {

  /** Units that will be ready at {@code readyAt} (expected; a provider may be late). */
  public record Arrival(int units, Instant readyAt) {}

  public PoolSize {
    arriving = List.copyOf(arriving);
    inUse = inUse == null ? ResourceDemand.NONE : inUse;
    if (readyUnits < 0 || provisionedUnits < readyUnits) {
      throw new IllegalArgumentException("a pool has at least as many provisioned units as ready ones");
    }
  }

  /** A size whose provider does not know what its units are busy with. */
  public PoolSize(String pool, int provisionedUnits, int readyUnits, List<Arrival> arriving) {
    this(pool, provisionedUnits, readyUnits, arriving, ResourceDemand.NONE);
  }

  /** The units ready at {@code at}: those ready now and those expected by then. */
  public int readyBy(Instant at) {
    return readyUnits + arriving.stream().filter(a -> !a.readyAt().isAfter(at)).mapToInt(Arrival::units).sum();
  }
}
