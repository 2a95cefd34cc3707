package dev.flowcast.resources;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How many units of an elastic pool are ready now, and when the units asked for but not ready yet
 * are expected. The monitor offers an elastic pool's ready units (never more than its catalog
 * limit) and counts arriving units in its projections. The capacity component answers from its
 * provider; the default knows of no sizes, and every pool then offers its catalog capacity (fixed).
 */
public interface PoolSupply {

  /** Units expected ready at {@code readyAt} (a provider may be late). */
  record Arrival(int units, Instant readyAt) {}

  /**
   * A pool's ready units and those on their way.
   *
   * @param inUse what the units report busy now (the slots in use of a pool's workers); the monitor
   *     counts a pool held by the larger of this and its reservations
   */
  record Supply(int readyUnits, List<Arrival> arriving, ResourceDemand inUse) {

    public Supply {
      arriving = List.copyOf(arriving);
      inUse = inUse == null ? ResourceDemand.NONE : inUse;
    }

    /** A supply whose units do not report what they are busy with. */
    public Supply(int readyUnits, List<Arrival> arriving) {
      this(readyUnits, arriving, ResourceDemand.NONE);
    }

    /** Units ready at {@code at}: those ready now and those expected by then. */
    public int readyBy(Instant at) {
      return readyUnits + arriving.stream().filter(a -> !a.readyAt().isAfter(at)).mapToInt(Arrival::units).sum();
    }
  }

  /** A pool's supply, or empty when its size is not managed (it holds its catalog capacity). */
  Optional<Supply> supply(String pool, Instant now);

  /** Every pool as the catalog says. */
  static PoolSupply fixed() {
    return (pool, now) -> Optional.empty();
  }
}
