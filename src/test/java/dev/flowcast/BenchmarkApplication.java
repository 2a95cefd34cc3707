package dev.flowcast;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the in-process benchmark harnesses share: the whole application with the demo domain on an
 * in-memory H2, the demo's simulated waits, the job executor, proactive composition and the
 * adaptive watcher off (a harness runs the jobs it times), and order statistics.
 */
public final class BenchmarkApplication {

  private BenchmarkApplication() {}

  /**
   * @param database the name of the in-memory database, unless the system property
   *     {@code flowcast.bench.database-url} names another (e.g. an H2 file, the application's default,
   *     for history that does not fit the heap)
   * @param idleMachine whether the monitor measures a steady {@link IdleMachine} instead of this busy one
   */
  public static ConfigurableApplicationContext start(String database, boolean idleMachine) {
    SpringApplication application = idleMachine ? new SpringApplication(FlowcastApplication.class, IdleMachine.class)
        : new SpringApplication(FlowcastApplication.class);
    return application.run(
        "--spring.profiles.active=demo", "--server.port=0", "--server.address=127.0.0.1",
        "--spring.datasource.url=" + System.getProperty("flowcast.bench.database-url",
            "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=256"),
        "--camunda.bpm.job-execution.enabled=false", "--flowcast.demo.time-scale=0",
        "--flowcast.demo.seed-orders=300", "--flowcast.proactive.enabled=false",
        "--flowcast.adaptive.enabled=false", "--logging.level.root=WARN",
        // the pools at the catalog's capacity, one worker per pool, as docs/BENCHMARKS.md measured them
        "--flowcast.capacity.provider=fixed", "--flowcast.workers.local.per-pool=1");
  }

  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Nearest rank. */
  public static double percentile(double[] values, int percent) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }
}
