package dev.flowcast.resources;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Resources held by running composed workflows, per pool. Kept in the engine's database so every
 * node of a cluster sees the same reservations.
 */
public interface ReservationLedger {

  /**
   * Reserves, for one process instance, the given demand in each pool, in the caller's transaction
   * (or one of its own). A pool that another caller holds ({@link #holdPools}) is waited for: what
   * is reserved in it grows only between holds.
   */
  void reserve(String processInstanceId, Map<String, ResourceDemand> demandByPool);

  /**
   * Holds the given pools against every other caller of this method, on any node, until the
   * caller's transaction ends: what is reserved in them cannot grow meanwhile through a caller
   * that holds them first, so a check that the caller's work still fits and its reservation are
   * one step for the cluster. Pools are taken in name order (two callers never deadlock); pools
   * not named stay free for others. Releasing never waits for them, and what is released while
   * they are held is seen by the holder once the release is committed.
   */
  void holdPools(Collection<String> pools);

  /** Releases everything the instance still holds; releasing twice does nothing. */
  void release(String processInstanceId);

  /** The open reservations of one instance, per pool. */
  Map<String, ResourceDemand> heldBy(String processInstanceId);

  /** All open reservations, summed per pool. */
  Map<String, ResourceDemand> heldPerPool();

  /**
   * The open reservations in these pools only, summed per pool: what a check of one workflow under
   * its pools' locks needs, without summing every other pool's. In a transaction that holds all of
   * them ({@link #holdPools}), what they held at its first such read, with its own reservations
   * since: a release committed meanwhile is counted by their next holder, so never less than held.
   */
  default Map<String, ResourceDemand> heldPerPool(Collection<String> pools) {
    Map<String, ResourceDemand> held = new HashMap<>(heldPerPool());
    held.keySet().retainAll(pools);
    return held;
  }

  /**
   * One instance's open reservations, summed over its pools, and since when it holds them.
   *
   * @param byPool the same, per pool
   */
  record Holding(String processInstanceId, java.time.Instant since, ResourceDemand demand,
      Map<String, ResourceDemand> byPool) {

    public Holding {
      byPool = Map.copyOf(byPool);
    }

    /** A holding known only as its total. */
    public Holding(String processInstanceId, java.time.Instant since, ResourceDemand demand) {
      this(processInstanceId, since, demand, Map.of());
    }
  }

  /** Every instance that holds something now. */
  java.util.List<Holding> holdings();
}
