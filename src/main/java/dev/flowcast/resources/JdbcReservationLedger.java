package dev.flowcast.resources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger in table {@code flowcast_reservation}; a released row stays, for the record. What each
 * pool holds is kept as a running total on its row of {@code flowcast_pool_lock}, in millionths of
 * each unit (decision 0036): a reservation adds to it in its own transaction; a release only marks
 * its rows pending, and whoever holds the pool next subtracts them, so that releasing never waits
 * for a holder of the pool. What a pool holds is its total less its pending rows.
 */
class JdbcReservationLedger implements ReservationLedger {

  private static final String DUPLICATE_KEY = "23505";
  /**
   * A holder subtracts a pool's pending releases from its total once there are this many: until
   * then they are read with the total (a few rows, by index), and the hold writes nothing more.
   */
  static final int SUBTRACTED_AT = 32;
  /** Pending rows subtracted per statement: a long list of ids is split, not sent whole. */
  private static final int SUBTRACTED_PER_STATEMENT = 500;
  private static final String ADD_TO_TOTAL = "update flowcast_pool_lock set held_vcpu_micro = held_vcpu_micro + ?,"
      + " held_memory_mb_micro = held_memory_mb_micro + ?, held_network_mbps_micro = held_network_mbps_micro + ?,"
      + " held_disk_iops_micro = held_disk_iops_micro + ? where pool = ?";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final DataSource dataSource;
  private final TransactionTemplate ownTransaction;
  private final JdbcTemplate batch;
  /** The key of what this ledger keeps for the transaction that holds pools. */
  private final Object heldKey = new Object();

  JdbcReservationLedger(JdbcClient jdbc, Clock clock, DataSource dataSource) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.dataSource = dataSource;
    this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.batch = new JdbcTemplate(dataSource);
  }

  /**
   * A row of {@code flowcast_pool_lock} per pool, taken FOR UPDATE, in name order; a pool's row is
   * added the first time. What the pools hold is read by the check that follows
   * ({@link #heldPerPool(Collection)}), once, and kept for the transaction.
   */
  @Override
  public void holdPools(Collection<String> pools) {
    HeldHere held = heldHere(true);
    for (String pool : new TreeSet<>(pools)) {
      if (lockRow(pool) == 0) {
        addLockRow(pool);
        lockRow(pool);
      }
      if (held != null) {
        held.pools.add(pool);
      }
    }
  }

  private int lockRow(String pool) {
    return jdbc.sql("select pool from flowcast_pool_lock where pool = ? for update").param(pool).query().listOfRows()
        .size();
  }

  /**
   * What the pools hold now, each its total less its pending releases, in one statement; a pool
   * with {@value #SUBTRACTED_AT} pending rows or more has them subtracted from its total for good.
   * Only by the pools' holder, after the lock (a statement of its own, so that it reads what was
   * committed up to the lock, on H2 and PostgreSQL alike): the pending rows read here are committed
   * releases, which no one else writes again, and the total cannot change meanwhile. A release
   * that commits after the read stays pending for the next holder.
   */
  private Map<String, Micros> readAsHolder(Collection<String> pools) {
    record Row(String pool, Micros total, Long id, Micros amounts) {}
    List<Row> rows = jdbc.sql("select l.pool, l.held_vcpu_micro, l.held_memory_mb_micro, l.held_network_mbps_micro,"
            + " l.held_disk_iops_micro, r.id, r.vcpu_micro, r.memory_mb_micro, r.network_mbps_micro, r.disk_iops_micro"
            + " from flowcast_pool_lock l left join flowcast_reservation r on r.release_pending = 1 and r.pool = l.pool"
            + " where l.pool in (" + "?, ".repeat(pools.size() - 1) + "?)")
        .params(new ArrayList<>(pools))
        .query((rs, n) -> new Row(rs.getString("pool"), Micros.of(rs, "held_"),
            rs.getObject("id") == null ? null : rs.getLong("id"), Micros.of(rs, "")))
        .list();
    Map<String, Micros> held = new TreeMap<>();
    Map<String, Micros> released = new TreeMap<>();
    Map<String, List<Long>> pending = new TreeMap<>();
    for (Row row : rows) {
      held.putIfAbsent(row.pool(), row.total());
      if (row.id() != null) {
        released.merge(row.pool(), row.amounts(), Micros::plus);
        pending.computeIfAbsent(row.pool(), pool -> new ArrayList<>()).add(row.id());
      }
    }
    released.forEach((pool, amounts) -> {
      held.put(pool, held.get(pool).plus(amounts.negated()));
      List<Long> ids = pending.get(pool);
      if (ids.size() >= SUBTRACTED_AT) {
        for (int from = 0; from < ids.size(); from += SUBTRACTED_PER_STATEMENT) {
          List<Long> some = ids.subList(from, Math.min(ids.size(), from + SUBTRACTED_PER_STATEMENT));
          jdbc.sql("update flowcast_reservation set release_pending = null where id in ("
                  + "?, ".repeat(some.size() - 1) + "?)")
              .params(some.toArray())
              .update();
        }
        addToTotal(pool, amounts.negated());
      }
    });
    return held;
  }

  /** Adds to the pool's total; false when the pool has no row yet. Takes the row's lock until the transaction ends. */
  private boolean addToTotal(String pool, Micros amounts) {
    return jdbc.sql(ADD_TO_TOTAL)
        .params(amounts.vcpu(), amounts.memoryMb(), amounts.networkMbps(), amounts.diskIops(), pool)
        .update() > 0;
  }

  /**
   * On the caller's own connection, behind a savepoint: a second connection could wait forever for
   * a pool that every caller holds, and when another node adds the row at the same moment, its
   * duplicate (SQL state 23505, on H2 and PostgreSQL alike) is rolled back to the savepoint alone.
   */
  private void addLockRow(String pool) {
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      boolean inTransaction = !connection.getAutoCommit();
      Savepoint before = inTransaction ? connection.setSavepoint() : null;
      try (PreparedStatement insert = connection.prepareStatement("insert into flowcast_pool_lock (pool) values (?)")) {
        insert.setString(1, pool);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
          throw e;
        }
        if (before != null) {
          connection.rollback(before);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not add the lock of pool '" + pool + "': " + e.getMessage(), e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /**
   * The rows and the pools' totals in one transaction: the caller's, or one of the ledger's own. The
   * totals are updated in pool-name order, the order of every holder of the pools (no deadlock); a
   * caller that does not hold a pool waits here for its holder. Each kind of statement goes as one
   * batch (one round trip on PostgreSQL) for all the pools.
   */
  @Override
  public void reserve(String processInstanceId, Map<String, ResourceDemand> demandByPool) {
    if (demandByPool.isEmpty()) {
      return;
    }
    inTransaction(() -> {
      Timestamp now = Timestamp.from(clock.instant());
      Map<String, Micros> amounts = new TreeMap<>();
      demandByPool.forEach((pool, demand) -> amounts.put(pool, Micros.of(demand)));
      List<Object[]> rows = new ArrayList<>();
      List<Object[]> totals = new ArrayList<>();
      amounts.forEach((pool, micros) -> {
        ResourceDemand demand = demandByPool.get(pool);
        rows.add(new Object[] {processInstanceId, pool, demand.vcpu(), demand.memoryMb(), demand.networkMbps(),
            demand.diskIops(), now, micros.vcpu(), micros.memoryMb(), micros.networkMbps(), micros.diskIops()});
        totals.add(new Object[] {micros.vcpu(), micros.memoryMb(), micros.networkMbps(), micros.diskIops(), pool});
      });
      batch.batchUpdate(
          """
          insert into flowcast_reservation
            (process_instance_id, pool, vcpu, memory_mb, network_mbps, disk_iops, reserved_at,
             vcpu_micro, memory_mb_micro, network_mbps_micro, disk_iops_micro)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, rows);
      int[] updated = batch.batchUpdate(ADD_TO_TOTAL, totals);
      HeldHere held = heldHere(false);
      int n = 0;
      for (Map.Entry<String, Micros> reserved : amounts.entrySet()) {
        String pool = reserved.getKey();
        if (updated[n++] == 0) {
          addLockRow(pool);
          addToTotal(pool, reserved.getValue());
        }
        if (held != null && held.pools.contains(pool)) {
          held.totals.computeIfPresent(pool, (p, total) -> total.plus(reserved.getValue()));
        } else {
          // the pool's row is this transaction's now: a pool that is reserved in but never held by a
          // composition does not pile up pending rows
          readAsHolder(List.of(pool));
        }
      }
    });
  }

  /** Marks the rows released and pending; the pools' rows are not touched (a holder subtracts them). */
  @Override
  public void release(String processInstanceId) {
    jdbc.sql(
            "update flowcast_reservation set released_at = ?, release_pending = 1 "
                + "where process_instance_id = ? and released_at is null")
        .params(Timestamp.from(clock.instant()), processInstanceId)
        .update();
    HeldHere held = heldHere(false);
    if (held != null) {
      // which pools it released in is not known here: they are read again
      held.totals.clear();
    }
  }

  /**
   * The pools this transaction holds, and what they held when its check first read them (with its
   * own reservations since): a release committed by another transaction after that is counted by
   * the pools' next holder, so what is kept here is never less than what they hold.
   */
  private static final class HeldHere {
    final Set<String> pools = new HashSet<>();
    final Map<String, Micros> totals = new HashMap<>();
  }

  /** This transaction's, when it has synchronization; null otherwise. */
  private HeldHere heldHere(boolean create) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return null;
    }
    HeldHere held = (HeldHere) TransactionSynchronizationManager.getResource(heldKey);
    if (held == null && create) {
      HeldHere bound = new HeldHere();
      TransactionSynchronizationManager.bindResource(heldKey, bound);
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        // a transaction of its own opened meanwhile (on another connection) holds nothing of this one's
        @Override
        public void suspend() {
          TransactionSynchronizationManager.unbindResourceIfPossible(heldKey);
        }

        @Override
        public void resume() {
          TransactionSynchronizationManager.bindResource(heldKey, bound);
        }

        @Override
        public void afterCompletion(int status) {
          TransactionSynchronizationManager.unbindResourceIfPossible(heldKey);
        }
      });
      held = bound;
    }
    return held;
  }

  private void inTransaction(Runnable work) {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      work.run();
    } else {
      ownTransaction.executeWithoutResult(status -> work.run());
    }
  }

  @Override
  public Map<String, ResourceDemand> heldBy(String processInstanceId) {
    return sumPerPool(
        "where process_instance_id = ? and released_at is null", processInstanceId);
  }

  @Override
  public Map<String, ResourceDemand> heldPerPool() {
    return totals(null);
  }

  @Override
  public Map<String, ResourceDemand> heldPerPool(Collection<String> pools) {
    if (pools.isEmpty()) {
      return new HashMap<>();
    }
    HeldHere held = heldHere(false);
    if (held != null && held.pools.containsAll(pools)) {
      Set<String> unread = new TreeSet<>(pools);
      unread.removeAll(held.totals.keySet());
      if (!unread.isEmpty()) {
        held.totals.putAll(readAsHolder(unread));
      }
      Map<String, ResourceDemand> kept = new HashMap<>();
      pools.forEach(pool -> {
        Micros total = held.totals.get(pool);
        if (!total.equals(Micros.ZERO)) {
          kept.put(pool, total.demand());
        }
      });
      return kept;
    }
    return totals(new TreeSet<>(pools));
  }

  /**
   * Each pool's total less its pending releases, in one statement (one snapshot: a holder's
   * subtraction of pending rows is seen whole or not at all). Pools that hold nothing are left out.
   */
  private Map<String, ResourceDemand> totals(Collection<String> pools) {
    String among = pools == null ? "" : " pool in (" + "?, ".repeat(pools.size() - 1) + "?)";
    List<Object> params = new ArrayList<>();
    if (pools != null) {
      params.addAll(pools);
      params.addAll(pools);
    }
    Map<String, ResourceDemand> held = new HashMap<>();
    jdbc.sql("select l.pool, l.held_vcpu_micro - coalesce(p.vcpu_micro, 0) vcpu_micro,"
            + " l.held_memory_mb_micro - coalesce(p.memory_mb_micro, 0) memory_mb_micro,"
            + " l.held_network_mbps_micro - coalesce(p.network_mbps_micro, 0) network_mbps_micro,"
            + " l.held_disk_iops_micro - coalesce(p.disk_iops_micro, 0) disk_iops_micro"
            + " from flowcast_pool_lock l left join (select pool, sum(vcpu_micro) vcpu_micro,"
            + " sum(memory_mb_micro) memory_mb_micro, sum(network_mbps_micro) network_mbps_micro,"
            + " sum(disk_iops_micro) disk_iops_micro from flowcast_reservation where release_pending = 1"
            + (pools == null ? "" : " and" + among) + " group by pool) p on p.pool = l.pool"
            + (pools == null ? "" : " where l." + among.strip()))
        .params(params)
        .query((ResultSet rs) -> {
          Micros amounts = Micros.of(rs, "");
          if (!amounts.equals(Micros.ZERO)) {
            held.put(rs.getString("pool"), amounts.demand());
          }
        });
    return held;
  }

  @Override
  public List<Holding> holdings() {
    record Row(String instance, java.time.Instant since, String pool, ResourceDemand demand) {}
    List<Row> rows = jdbc.sql("select process_instance_id, pool, min(reserved_at) since, sum(vcpu) vcpu,"
            + " sum(memory_mb) memory_mb, sum(network_mbps) network_mbps, sum(disk_iops) disk_iops"
            + " from flowcast_reservation where released_at is null group by process_instance_id, pool")
        .query((rs, row) -> new Row(rs.getString("process_instance_id"), rs.getTimestamp("since").toInstant(),
            rs.getString("pool"), demandOf(rs)))
        .list();
    Map<String, Holding> byInstance = new java.util.LinkedHashMap<>();
    for (Row row : rows) {
      byInstance.merge(row.instance(), new Holding(row.instance(), row.since(), row.demand(), Map.of(row.pool(), row.demand())),
          (a, b) -> {
            Map<String, ResourceDemand> pools = new HashMap<>(a.byPool());
            b.byPool().forEach((pool, demand) -> pools.merge(pool, demand, ResourceDemand::plus));
            return new Holding(a.processInstanceId(), a.since().isBefore(b.since()) ? a.since() : b.since(),
                a.demand().plus(b.demand()), pools);
          });
    }
    return List.copyOf(byInstance.values());
  }

  private Map<String, ResourceDemand> sumPerPool(String where, Object... params) {
    Map<String, ResourceDemand> held = new HashMap<>();
    jdbc.sql(
            "select pool, sum(vcpu) vcpu, sum(memory_mb) memory_mb, sum(network_mbps) network_mbps,"
                + " sum(disk_iops) disk_iops from flowcast_reservation "
                + where
                + " group by pool")
        .params(params)
        .query((ResultSet rs) -> {
          held.put(rs.getString("pool"), demandOf(rs));
        });
    return held;
  }

  private static ResourceDemand demandOf(ResultSet rs) throws SQLException {
    return new ResourceDemand(
        rs.getDouble("vcpu"),
        rs.getDouble("memory_mb"),
        rs.getDouble("network_mbps"),
        rs.getDouble("disk_iops"));
  }

  /**
   * Amounts in millionths of their unit, as integers: adding and subtracting them is exact, where
   * doubles drift (0.1 + 0.2 - 0.1 - 0.2 is not 0). A demand is rounded to a millionth of its unit
   * once, when it is reserved, and the row keeps that amount for its release.
   */
  record Micros(long vcpu, long memoryMb, long networkMbps, long diskIops) {

    static final Micros ZERO = new Micros(0, 0, 0, 0);
    private static final int SCALE = 6;

    static Micros of(ResourceDemand demand) {
      return new Micros(micros(demand.vcpu()), micros(demand.memoryMb()), micros(demand.networkMbps()),
          micros(demand.diskIops()));
    }

    /** From the columns {@code <prefix>vcpu_micro} etc.; null (no row) is zero. */
    static Micros of(ResultSet rs, String prefix) throws SQLException {
      return new Micros(rs.getLong(prefix + "vcpu_micro"), rs.getLong(prefix + "memory_mb_micro"),
          rs.getLong(prefix + "network_mbps_micro"), rs.getLong(prefix + "disk_iops_micro"));
    }

    /** The decimal the double prints as (0.1, not 0.1000000000000000055...), rounded to a millionth. */
    private static long micros(double amount) {
      return BigDecimal.valueOf(amount).movePointRight(SCALE).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static double amount(long micros) {
      return BigDecimal.valueOf(micros, SCALE).doubleValue();
    }

    Micros plus(Micros other) {
      return new Micros(Math.addExact(vcpu, other.vcpu), Math.addExact(memoryMb, other.memoryMb),
          Math.addExact(networkMbps, other.networkMbps), Math.addExact(diskIops, other.diskIops));
    }

    Micros negated() {
      return new Micros(-vcpu, -memoryMb, -networkMbps, -diskIops);
    }

    /** As a demand: the double nearest to the exact amount (never below zero, which a total never is). */
    ResourceDemand demand() {
      return new ResourceDemand(amount(Math.max(0, vcpu)), amount(Math.max(0, memoryMb)),
          amount(Math.max(0, networkMbps)), amount(Math.max(0, diskIops)));
    }
  }
}
