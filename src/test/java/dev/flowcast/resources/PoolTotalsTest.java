package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.flowcast.config.FlowcastSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each pool holds is a running total of its open reservations, kept exact, on H2 and (when
 * {@code FLOWCAST_TEST_POSTGRES_URL} names a database, in a schema of this test's own) on PostgreSQL:
 * it always equals the sum of the open rows, whatever order reservations and releases come in, and
 * whichever transaction commits them.
 */
class PoolTotalsTest {

  private static final String SCHEMA = "pool_totals_spec";
  private static final List<HikariDataSource> opened = new ArrayList<>();

  static Stream<Arguments> databases() {
    List<Arguments> databases = new ArrayList<>();
    databases.add(Arguments.of("H2", (DatabaseFactory) PoolTotalsTest::h2));
    String postgres = System.getenv("FLOWCAST_TEST_POSTGRES_URL");
    if (postgres != null && !postgres.isBlank()) {
      databases.add(Arguments.of("PostgreSQL", (DatabaseFactory) () -> postgres(postgres)));
    }
    return databases.stream();
  }

  interface DatabaseFactory {
    DataSource create() throws Exception;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldKeepEachPoolsTotalEqualToTheSumOfItsOpenRowsAfterThousandsOfReservesAndReleasesInRandomOrder(
      String name, DatabaseFactory factory) throws Exception {
    // given an empty ledger and amounts that drift when added and subtracted as doubles
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    double[] amounts = {0.1, 0.2, 0.3, 0.7, 1.1, 0.05, 2.0 / 3};
    Random random = new Random(36);
    List<String> open = new ArrayList<>();

    // when 2,000 instances reserve in one or two pools and most of them are released, in random order,
    // the pools held now and then as a composition holds them
    for (int n = 0; n < 2_000; n++) {
      Map<String, ResourceDemand> demand = new HashMap<>();
      demand.put("a", new ResourceDemand(amounts[random.nextInt(amounts.length)], 512.5, 0.1, 0.2));
      if (random.nextBoolean()) {
        demand.put("b", new ResourceDemand(amounts[random.nextInt(amounts.length)], 0.3, 0, 1));
      }
      ledger.reserve("instance-" + n, demand);
      open.add("instance-" + n);
      while (!open.isEmpty() && random.nextInt(3) > 0) {
        ledger.release(open.remove(random.nextInt(open.size())));
      }
      if (n % 97 == 0) {
        check(ledger, database, Set.of("a", "b"));
      }
    }

    // then each pool's total is exactly the sum, in millionths, of its open rows
    assertThat(open).isNotEmpty();
    assertThat(ledger.heldPerPool()).isEqualTo(sumOfOpenRows(database));
    assertThat(check(ledger, database, Set.of("a", "b"))).isEqualTo(sumOfOpenRows(database));

    // and when every one is released, the pools hold exactly nothing, not a drift of a double, and
    // each pool's holder has kept its pending releases (read with the total) to fewer than a few dozen
    open.forEach(ledger::release);
    assertThat(ledger.heldPerPool()).isEmpty();
    assertThat(check(ledger, database, Set.of("a", "b"))).isEmpty();
    assertThat(JdbcClient.create(database)
        .sql("select count(*) from flowcast_reservation where release_pending = 1 group by pool")
        .query(Long.class).list()).allMatch(pending -> pending < JdbcReservationLedger.SUBTRACTED_AT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldFitAWorkflowAtTheExactBorderOfAPoolAndNothingBeyondIt(String name, DatabaseFactory factory)
      throws Exception {
    // given a pool of 1 vCPU whose reservations of 0.1, 0.2, 0.3 and 0.15 came and went: 0.1 + 0.2 - 0.1 - 0.2
    // is not 0 in doubles
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    ResourceDemand capacity = new ResourceDemand(1, 1024, 100, 100);
    ledger.reserve("first", Map.of("pool", vcpu(0.1)));
    ledger.reserve("second", Map.of("pool", vcpu(0.2)));
    ledger.reserve("third", Map.of("pool", vcpu(0.3)));
    ledger.reserve("fourth", Map.of("pool", vcpu(0.15)));
    ledger.release("first");
    ledger.release("second");
    ledger.release("fourth");
    ledger.reserve("fifth", Map.of("pool", vcpu(0.1)));
    ledger.reserve("sixth", Map.of("pool", vcpu(0.2)));

    // when a workflow of 0.4 vCPU is checked under the pool's lock, and then one of a millionth more
    boolean[] fits = new boolean[2];
    transactions(database).executeWithoutResult(tx -> {
      ledger.holdPools(Set.of("pool"));
      ResourceDemand free = capacity.minusClamped(ledger.heldPerPool(Set.of("pool")).get("pool"));
      fits[0] = vcpu(0.4).fitsIn(free);
      fits[1] = vcpu(0.400001).fitsIn(free);
    });

    // then the pool holds exactly 0.6, the first fits to the last millionth and the second does not
    assertThat(ledger.heldPerPool().get("pool").vcpu()).isEqualTo(0.6);
    assertThat(fits).containsExactly(true, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldCountAReleaseCommittedByAnotherTransactionWhileThePoolIsHeldWithoutWaitingForTheHolder(
      String name, DatabaseFactory factory) throws Exception {
    // given a pool holding two reservations of 2 vCPU
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    ledger.reserve("running", Map.of("pool", vcpu(2)));
    ledger.reserve("ending", Map.of("pool", vcpu(2)));
    ExecutorService other = Executors.newSingleThreadExecutor();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    try {
      // when one transaction holds the pool, and another (an instance's end) releases one of them meanwhile
      Future<List<Double>> holder = other.submit(() -> transactions(database).execute(tx -> {
        ledger.holdPools(Set.of("pool"));
        double before = ledger.heldPerPool(Set.of("pool")).get("pool").vcpu();
        held.countDown();
        await(released);
        return List.of(before, ledger.heldPerPool(Set.of("pool")).get("pool").vcpu(),
            ledger.heldPerPool().get("pool").vcpu());
      }));
      await(held);
      transactions(database).executeWithoutResult(tx -> ledger.release("ending"));
      released.countDown();

      // then the release did not wait for the holder; the holder's check keeps what the pool held
      // when it first read it (never less than it holds), and a fresh read counts the release once
      // committed
      assertThat(holder.get(30, TimeUnit.SECONDS)).containsExactly(4.0, 4.0, 2.0);
    } finally {
      other.shutdownNow();
    }
    // and the next holder's check counts it
    assertThat(check(ledger, database, Set.of("pool"))).isEqualTo(Map.of("pool", vcpu(2)));
    assertThat(ledger.heldPerPool()).isEqualTo(Map.of("pool", vcpu(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldNotLendWhatAHolderKeepsToATransactionOfItsOwnOpenedInsideIt(String name, DatabaseFactory factory)
      throws Exception {
    // given a pool holding 4 vCPU
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    ledger.reserve("running", Map.of("pool", vcpu(4)));
    TransactionTemplate ofItsOwn = transactions(database);
    ofItsOwn.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);

    // when a holder checks the pool and reserves 1 more, and a transaction of its own, opened inside
    // it, reads the pool before the holder commits
    List<Double> read = transactions(database).execute(tx -> {
      ledger.holdPools(Set.of("pool"));
      double checked = ledger.heldPerPool(Set.of("pool")).get("pool").vcpu();
      ledger.reserve("new", Map.of("pool", vcpu(1)));
      double inside = ofItsOwn.execute(inner -> ledger.heldPerPool(Set.of("pool")).get("pool").vcpu());
      return List.of(checked, ledger.heldPerPool(Set.of("pool")).get("pool").vcpu(), inside);
    });

    // then the holder counts its own reservation, and the other transaction only what is committed
    assertThat(read).containsExactly(4.0, 5.0, 4.0);
    assertThat(ledger.heldPerPool()).isEqualTo(Map.of("pool", vcpu(5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldKeepTheTotalsRightWhenManyTransactionsReserveAndReleaseAtOnce(String name, DatabaseFactory factory)
      throws Exception {
    // given an empty ledger
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      // when 8 threads reserve in two pools (some holding them first, as a composition does), and release
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(threads.submit(() -> {
          for (int n = 0; n < 60; n++) {
            String instance = "t" + thread + "-" + n;
            boolean holding = n % 2 == 0;
            transactions(database).executeWithoutResult(tx -> {
              if (holding) {
                ledger.holdPools(Set.of("a", "b"));
              }
              ledger.reserve(instance, Map.of("a", vcpu(0.1), "b", vcpu(0.3)));
            });
            if (n % 3 != 0) {
              ledger.release(instance);
            }
          }
          return null;
        }));
      }
      for (Future<?> thread : done) {
        thread.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    // then each pool's total is the sum of its open rows: 8 x 20 left open
    assertThat(ledger.heldPerPool()).isEqualTo(sumOfOpenRows(database))
        .isEqualTo(Map.of("a", vcpu(16), "b", vcpu(48)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldLeaveReleasesPendingBelowThirtyTwoAndHaveThePoolsHolderSubtractThemAtThirtyTwo(String name,
      DatabaseFactory factory) throws Exception {
    // given a pool in which 40 instances reserved 0.1 vCPU each, and 31 of them ended
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    for (int n = 0; n < 40; n++) {
      ledger.reserve("instance-" + n, Map.of("pool", vcpu(0.1)));
    }
    for (int n = 0; n < 31; n++) {
      ledger.release("instance-" + n);
    }

    // when the pool is held and checked with 31 releases pending, read outside the locks with 32,
    // and held and checked again
    Map<String, ResourceDemand> checkedAt31 = check(ledger, database, Set.of("pool"));
    long pendingAfterTheFirstCheck = pending(database);
    ledger.release("instance-31");
    Map<String, ResourceDemand> readAt32 = ledger.heldPerPool();
    long pendingAfterTheRead = pending(database);
    Map<String, ResourceDemand> checkedAt32 = check(ledger, database, Set.of("pool"));

    // then below 32 the holder only reads them with the total, and nothing outside the locks writes;
    // at 32 the holder subtracts them from the total for good, which is then exactly what is open
    assertThat(checkedAt31).isEqualTo(Map.of("pool", vcpu(0.9)));
    assertThat(pendingAfterTheFirstCheck).isEqualTo(31);
    assertThat(readAt32).isEqualTo(Map.of("pool", vcpu(0.8)));
    assertThat(pendingAfterTheRead).isEqualTo(32);
    assertThat(checkedAt32).isEqualTo(Map.of("pool", vcpu(0.8)));
    assertThat(pending(database)).isZero();
    assertThat(JdbcClient.create(database).sql("select held_vcpu_micro from flowcast_pool_lock where pool = 'pool'")
        .query(Long.class).single()).isEqualTo(800_000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldHaveADirectStartWaitForThePoolsHolderAndThenCountItsReservation(String name, DatabaseFactory factory)
      throws Exception {
    // given a pool holding 1 vCPU, held by a composition that has read it for its check
    DataSource database = migrated(factory.create(), null);
    JdbcReservationLedger ledger = ledgerOn(database);
    ledger.reserve("running", Map.of("pool", vcpu(1)));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    try {
      Future<Double> holder = threads.submit(() -> transactions(database).execute(tx -> {
        ledger.holdPools(Set.of("pool"));
        double checked = ledger.heldPerPool(Set.of("pool")).get("pool").vcpu();
        ledger.reserve("composed", Map.of("pool", vcpu(2)));
        held.countDown();
        await(letGo);
        return checked;
      }));
      await(held);

      // when an instance started without the composer reserves in the pool, with no transaction of its caller
      Future<?> direct = threads.submit(() -> ledger.reserve("direct", Map.of("pool", vcpu(0.5))));

      // then it waits for the holder, which checked what it read; once the holder commits it reserves,
      // and the pool counts both, exactly
      assertThat(stillWaitingAfterASecond(direct)).isTrue();
      letGo.countDown();
      assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1.0);
      direct.get(30, TimeUnit.SECONDS);
    } finally {
      letGo.countDown();
      threads.shutdownNow();
    }
    assertThat(ledger.heldPerPool()).isEqualTo(Map.of("pool", vcpu(3.5))).isEqualTo(sumOfOpenRows(database));
    assertThat(check(ledger, database, Set.of("pool"))).isEqualTo(Map.of("pool", vcpu(3.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void shouldSetEachPoolsTotalFromTheOpenReservationsOfADatabaseMadeBeforeTheTotals(String name,
      DatabaseFactory factory) throws Exception {
    // given a database at the schema before the totals, with open and released reservations, one of
    // them in a pool that has no lock row yet
    DataSource database = migrated(factory.create(), "18");
    JdbcClient jdbc = JdbcClient.create(database);
    jdbc.sql("insert into flowcast_pool_lock (pool) values ('a')").update();
    String insert = "insert into flowcast_reservation (process_instance_id, pool, vcpu, memory_mb, network_mbps,"
        + " disk_iops, reserved_at, released_at) values (?, ?, ?, ?, ?, ?, current_timestamp, ?)";
    jdbc.sql(insert).params("one", "a", 0.1, 512.0, 0.5, 1.0, null).update();
    jdbc.sql(insert).params("two", "a", 0.2, 256.0, 0.25, 2.0, null).update();
    jdbc.sql(insert).params("gone", "a", 4.0, 4096.0, 10.0, 10.0, java.sql.Timestamp.valueOf("2026-01-01 00:00:00"))
        .update();
    jdbc.sql(insert).params("three", "b", 1.5, 1024.0, 0.0, 0.0, null).update();

    // when it is upgraded
    migrated(database, null);
    JdbcReservationLedger ledger = ledgerOn(database);

    // then each pool holds exactly its open reservations, and releasing them goes back to nothing
    assertThat(ledger.heldPerPool()).isEqualTo(Map.of(
        "a", new ResourceDemand(0.3, 768, 0.75, 3), "b", new ResourceDemand(1.5, 1024, 0, 0)));
    assertThat(ledger.heldPerPool()).isEqualTo(sumOfOpenRows(database));
    Stream.of("one", "two", "three").forEach(ledger::release);
    assertThat(check(ledger, database, Set.of("a", "b"))).isEmpty();
    assertThat(ledger.heldPerPool()).isEmpty();
  }

  /** What a composition's check reads: the pools held, then what they hold, in one transaction. */
  private static Map<String, ResourceDemand> check(JdbcReservationLedger ledger, DataSource database, Set<String> pools) {
    return transactions(database).execute(tx -> {
      ledger.holdPools(pools);
      return ledger.heldPerPool(pools);
    });
  }

  private static long pending(DataSource database) {
    return JdbcClient.create(database).sql("select count(*) from flowcast_reservation where release_pending = 1")
        .query(Long.class).single();
  }

  /** True when the work is still waiting a second after it was submitted. */
  private static boolean stillWaitingAfterASecond(Future<?> work) throws Exception {
    try {
      work.get(1, TimeUnit.SECONDS);
      return false;
    } catch (TimeoutException stillWaiting) {
      return true;
    }
  }

  private static ResourceDemand vcpu(double vcpu) {
    return new ResourceDemand(vcpu, 0, 0, 0);
  }

  /** The open rows summed per pool, each row's amount rounded to a millionth as the ledger counts it. */
  private static Map<String, ResourceDemand> sumOfOpenRows(DataSource database) {
    Map<String, JdbcReservationLedger.Micros> sums = new HashMap<>();
    JdbcClient.create(database)
        .sql("select pool, vcpu, memory_mb, network_mbps, disk_iops from flowcast_reservation where released_at is null")
        .query(rs -> {
          sums.merge(rs.getString("pool"), JdbcReservationLedger.Micros.of(new ResourceDemand(rs.getDouble("vcpu"),
              rs.getDouble("memory_mb"), rs.getDouble("network_mbps"), rs.getDouble("disk_iops"))),
              JdbcReservationLedger.Micros::plus);
        });
    Map<String, ResourceDemand> held = new HashMap<>();
    sums.forEach((pool, micros) -> held.put(pool, micros.demand()));
    return held;
  }

  private static JdbcReservationLedger ledgerOn(DataSource database) {
    return new JdbcReservationLedger(JdbcClient.create(database), Clock.systemUTC(), database);
  }

  private static TransactionTemplate transactions(DataSource database) {
    return new TransactionTemplate(new DataSourceTransactionManager(database));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Flowcast's migrations up to {@code target} (all when null). */
  private static DataSource migrated(DataSource database, String target) {
    var configuration = Flyway.configure().dataSource(database).table(FlowcastSchema.HISTORY_TABLE)
        .locations(FlowcastSchema.LOCATION);
    if (target != null) {
      configuration.target(target);
    }
    configuration.load().migrate();
    return database;
  }

  private static DataSource h2() {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:pool-totals-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
    database.setUser("sa");
    return database;
  }

  private static DataSource postgres(String url) {
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setURL(url);
    admin.setUser("flowcast");
    admin.setPassword("flowcast");
    JdbcClient.create(admin).sql("drop schema if exists " + SCHEMA + " cascade").update();
    JdbcClient.create(admin).sql("create schema " + SCHEMA).update();
    HikariDataSource database = new HikariDataSource();
    database.setJdbcUrl(url);
    database.setUsername("flowcast");
    database.setPassword("flowcast");
    database.setSchema(SCHEMA);
    database.setMaximumPoolSize(10);
    opened.add(database);
    return database;
  }

  /**
   * After each test, not after all of them: each pool keeps its connections open, and the database
   * is shared with the other test classes of the run (their application contexts stay cached with
   * pools of their own), so eight pools open at once used up PostgreSQL's hundred connections.
   */
  @AfterEach
  void closePools() {
    opened.forEach(HikariDataSource::close);
    opened.clear();
  }
}
