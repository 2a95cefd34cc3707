package dev.flowcast.worker;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The workers that serve each pool, as they registered and as their heartbeats keep them: a worker
 * counts as long as its last heartbeat is recent ({@code flowcast.workers.stale-after}). Shared by
 * every node of a cluster (a table), so a worker may talk to any node.
 */
public class WorkerRegistry {

  /** One registered worker. */
  public record Worker(String id, String pool, int slots, int slotsInUse, String host, Instant registeredAt,
      Instant lastHeartbeat, long completed, long cancelled) {}

  /**
   * What serves a pool now: its live workers, their slots, and the slots running a step.
   *
   * @param liveWorkers workers whose heartbeat is recent
   * @param slots their slots together
   * @param slotsInUse the slots running a step, as their last heartbeats said
   */
  public record PoolWorkers(String pool, int liveWorkers, int slots, int slotsInUse) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration staleAfter;

  public WorkerRegistry(JdbcClient jdbc, Clock clock, Duration staleAfter) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  /** Registers a worker (again, after a restart under the same id: its counts start over). */
  public Worker register(String id, String pool, int slots, String host) {
    Timestamp now = Timestamp.from(clock.instant());
    int updated = jdbc.sql("update flowcast_worker set pool = ?, slots = ?, slots_in_use = 0, host = ?, registered_at = ?,"
            + " last_heartbeat = ?, completed = 0, cancelled = 0, stopped_at = null where id = ?")
        .params(pool, slots, host, now, now, id).update();
    if (updated == 0) {
      jdbc.sql("insert into flowcast_worker (id, pool, slots, slots_in_use, host, registered_at, last_heartbeat,"
              + " completed, cancelled) values (?, ?, ?, 0, ?, ?, ?, 0, 0)")
          .params(id, pool, slots, host, now, now).update();
    }
    return find(id);
  }

  /**
   * A heartbeat: the worker is alive, and says how busy it is and what it has done.
   *
   * @return false when no such worker is registered (or it deregistered): it must register again
   */
  public boolean heartbeat(String id, int slotsInUse, long completed, long cancelled) {
    return jdbc.sql("update flowcast_worker set slots_in_use = ?, completed = ?, cancelled = ?, last_heartbeat = ?"
            + " where id = ? and stopped_at is null")
        .params(slotsInUse, completed, cancelled, Timestamp.from(clock.instant()), id).update() == 1;
  }

  /** The worker stopped (gracefully): it is no longer capacity. */
  public boolean deregister(String id) {
    return jdbc.sql("update flowcast_worker set stopped_at = ?, slots_in_use = 0 where id = ? and stopped_at is null")
        .params(Timestamp.from(clock.instant()), id).update() == 1;
  }

  public Worker find(String id) {
    return jdbc.sql("select * from flowcast_worker where id = ?").param(id).query(WorkerRegistry::worker)
        .optional().orElse(null);
  }

  /** Workers that are capacity now: registered, not stopped, with a recent heartbeat. */
  public List<Worker> live() {
    Timestamp since = Timestamp.from(clock.instant().minus(staleAfter));
    return jdbc.sql("select * from flowcast_worker where stopped_at is null and last_heartbeat >= ? order by pool, id")
        .param(since).query(WorkerRegistry::worker).list();
  }

  /** Each pool with a live worker, and what its workers offer and use. */
  public Map<String, PoolWorkers> pools() {
    Map<String, PoolWorkers> pools = new TreeMap<>();
    for (Worker worker : live()) {
      pools.merge(worker.pool(), new PoolWorkers(worker.pool(), 1, worker.slots(), worker.slotsInUse()),
          (a, b) -> new PoolWorkers(a.pool(), a.liveWorkers() + b.liveWorkers(), a.slots() + b.slots(),
              a.slotsInUse() + b.slotsInUse()));
    }
    return pools;
  }

  public PoolWorkers pool(String pool) {
    return pools().getOrDefault(pool, new PoolWorkers(pool, 0, 0, 0));
  }

  private static Worker worker(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Worker(rs.getString("id"), rs.getString("pool"), rs.getInt("slots"), rs.getInt("slots_in_use"),
        rs.getString("host"), rs.getTimestamp("registered_at").toInstant(), rs.getTimestamp("last_heartbeat").toInstant(),
        rs.getLong("completed"), rs.getLong("cancelled"));
  }
}
