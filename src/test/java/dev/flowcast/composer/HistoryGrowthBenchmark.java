package dev.flowcast.composer;

import static dev.flowcast.BenchmarkApplication.median;
import static dev.flowcast.BenchmarkApplication.percentile;

import dev.flowcast.BenchmarkApplication;
import dev.flowcast.EngineFixture;
import dev.flowcast.resources.PriceCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A plain benchmark harness (not a test): does a composition get slower as history grows? The
 * whole application in-process (H2 in memory, demo profile, history level full as configured,
 * job executor off, a steady measured machine); composed instances of every intent are run to
 * their end, by executing their jobs as the job executor would, until the given numbers of
 * completed instances are in history; at each level, compositions of {@code run-report} (its
 * workflow deployed already) are timed one after another, each instance deleted after it. Prints
 * the history's size, the median time of a composition and starts per second at each level, and
 * the ratio of the slowest level to the fastest. On a database file filled by an earlier run
 * (system property {@code flowcast.bench.database-url}) the instances already in history count
 * towards the levels; measuring such a file without filling it needs warm-up rounds (the fourth
 * argument, default 1: filling warms the JIT up too). Run with bench/history-growth.sh.
 */
public final class HistoryGrowthBenchmark {

  private static final String[] INTENTS = {"run-report", "scale-service", "backup-database", "replicate-database"};

  public static void main(String[] args) throws Exception {
    int[] levels = Arrays.stream((args.length > 0 ? args[0] : "1000,10000").split(","))
        .mapToInt(Integer::parseInt).sorted().toArray();
    int starts = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    // filling warms the JIT up as well; a level already in a database file needs rounds of its own
    int warmUpRounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    try (ConfigurableApplicationContext context = BenchmarkApplication.start("history-growth", true)) {
      ProcessEngine engine = context.getBean(ProcessEngine.class);
      Composer composer = context.getBean(Composer.class);
      EngineFixture fixture = new EngineFixture(engine, composer, context.getBean(PriceCatalog.class));
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      RuntimeService runtime = engine.getRuntimeService();
      System.out.printf("levels %s completed instances, %d compositions per measurement, %d repetitions after %d"
              + " warm-up rounds, %d cores%n", Arrays.toString(levels), starts, repetitions, warmUpRounds,
          Runtime.getRuntime().availableProcessors());
      List<double[]> results = new ArrayList<>();
      // a database file filled by an earlier run counts: its history is not filled again
      int completed = (int) finished(engine);
      for (int level : levels) {
        long filling = System.nanoTime();
        int from = completed;
        while (completed < level) {
          CompositionResult result = fixture.compose("alice", INTENTS[completed % INTENTS.length]);
          if (result.status() != CompositionResult.Status.STARTED) {
            throw new IllegalStateException("a composition did not start: " + result.status() + " " + result.reason());
          }
          fixture.runJobs(result.processInstanceId());
          completed++;
          if ((completed - from) % Math.max(1, (level - from) / 10) == 0) {
            System.out.printf("  filling: %d of %d completed (%.0f s)%n", completed, level,
                (System.nanoTime() - filling) / 1e9);
          }
        }
        long finished = finished(engine);
        double[] medians = new double[repetitions];
        double[] all = new double[starts * repetitions];
        for (int r = -warmUpRounds; r < repetitions; r++) {
          double[] times = new double[starts];
          for (int i = 0; i < starts; i++) {
            long started = System.nanoTime();
            CompositionResult result = fixture.compose("alice", "run-report");
            times[i] = (System.nanoTime() - started) / 1e6;
            runtime.deleteProcessInstance(result.processInstanceId(), "benchmark");
            if (r < 0) {
              // warming up must not move the level: the engine's history of these instances goes too
              engine.getHistoryService().deleteHistoricProcessInstance(result.processInstanceId());
            }
          }
          if (r >= 0) {
            medians[r] = median(times);
            System.arraycopy(times, 0, all, r * starts, starts);
          }
        }
        double perStart = median(medians);
        results.add(new double[] {level, perStart});
        System.out.printf("%,d ended composed instances in history (%,d activity instances, %,d variables,"
                + " %,d step rows, %,d decisions): composition median %.2f ms, p99 %.2f ms, %.0f starts/s%n",
            finished, count(jdbc, "act_hi_actinst"), count(jdbc, "act_hi_varinst"), count(jdbc, "flowcast_step"),
            count(jdbc, "flowcast_decision"), perStart, percentile(all, 99), 1000 / perStart);
      }
      double fastest = results.stream().mapToDouble(r -> r[1]).min().orElseThrow();
      double slowest = results.stream().mapToDouble(r -> r[1]).max().orElseThrow();
      System.out.printf("slowest ÷ fastest level (time per composition): %.2f%n", slowest / fastest);
    }
  }

  /** Composed instances of the harness's intents that have ended. */
  private static long finished(ProcessEngine engine) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processDefinitionKeyIn(keys()).finished().count();
  }

  private static String[] keys() {
    return Arrays.stream(INTENTS).map(intent -> "flowcast-" + intent).toArray(String[]::new);
  }

  private static long count(JdbcClient jdbc, String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
