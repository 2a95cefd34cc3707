package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.simulation.ElasticSetup;
import dev.flowcast.simulation.ReplaySource;
import dev.flowcast.simulation.Simulation;
import dev.flowcast.simulation.SimulationPlot;
import dev.flowcast.simulation.SimulationReport;
import dev.flowcast.simulation.Strategy;
import dev.flowcast.simulation.TuningReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Replays a workload from an event log and a resource series through the real composer, engine
 * and adaptive watcher, once per strategy, and reports cost and SLA per strategy.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Replays real load through the engine once per strategy and compares cost and SLA misses.")
public final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--log", defaultValue = "datasets/eventlogs/helpdesk.csv",
      description = "event log (columns as --case-column, --activity-column, --time-column say); its activities "
          + "become the demo's intents by how often they occur; default ${DEFAULT-VALUE}")
  Path log;

  @Mixin EventLogColumns columns;

  @Option(names = "--pools", description = "elastic (pools grow and shrink in units that arrive after a lead time, "
      + "billed per provisioned second) or fixed (the catalog's capacity, billed per use); default elastic when a "
      + "strategy needs it (static-peak, static-mean, reactive-autoscale, flowcast-without-arrivals, "
      + "flowcast-series-only), fixed otherwise")
  String pools;

  @Option(names = "--lead-time", split = ",", mapFallbackValue = "",
      description = "elastic pools and their lead times, e.g. on-demand=PT90S,spot=PT3M (the default)")
  Map<String, Duration> leadTimes;

  @Option(names = "--warm-up", defaultValue = "PT5M",
      description = "elastic pools: how long the pools and their planner run before the first request, as a deployed "
          + "planner has (the users' earlier activity is known meanwhile; every strategy pays for its pools); "
          + "PT0S starts cold at the first request; default ${DEFAULT-VALUE}")
  Duration warmUp;

  @Option(names = "--overflow", defaultValue = "none",
      description = "elastic pools: what the predictive planner does with demand expected in a pool beyond its most "
          + "units: none (each pool on its own) or spill (to the other elastic pools, cheapest first); "
          + "default ${DEFAULT-VALUE}")
  String overflow;

  @Option(names = "--scale-in-hold", defaultValue = "scale-in-delay",
      description = "elastic pools: over how long the predictive planner gives back no units it wanted: scale-in-delay "
          + "(the pool's, as the HPA; none in a replay) or lead-time (the lead time and two standard deviations of its "
          + "spread, as units given back could not be bought again sooner); default ${DEFAULT-VALUE}")
  String scaleInHold;

  @Option(names = "--reactive-target-utilization", split = ",", defaultValue = "0.8",
      description = "reactive-autoscale's target utilization; several (comma-separated) run as a grid; default ${DEFAULT-VALUE}")
  List<Double> reactiveTargets;

  @Option(names = "--reactive-cooldown", split = ",", defaultValue = "PT5M",
      description = "reactive-autoscale's scale-in cool-down; several run as a grid; default ${DEFAULT-VALUE}")
  List<Duration> reactiveCooldowns;

  @Option(names = "--target-utilization", split = ",", defaultValue = "0.8",
      description = "the predictive planner's target utilization (flowcast, flowcast-without-arrivals, "
          + "flowcast-series-only, oracle); "
          + "several run flowcast as a grid, the others with the first; default ${DEFAULT-VALUE}")
  List<Double> predictiveTargets;

  @Option(names = "--series", defaultValue = "datasets/timeseries/rds_cpu_utilization_cc0c53.csv",
      description = "resource series (timestamp,value) for the background load; default ${DEFAULT-VALUE}")
  Path series;

  @Option(names = "--speedup", defaultValue = "300", description = "the log's gaps divided by this; default ${DEFAULT-VALUE}")
  double speedup;

  @Option(names = "--series-speedup", defaultValue = "12",
      description = "the series runs this many times faster than the replay; default ${DEFAULT-VALUE}")
  double seriesSpeedup;

  @Option(names = "--peak-load", defaultValue = "0.85",
      description = "share of every pool the series' peak takes; default ${DEFAULT-VALUE}")
  double peakLoad;

  @Option(names = "--window-start", defaultValue = "0.667",
      description = "where the replayed events begin, as a share of the log; default ${DEFAULT-VALUE}")
  double windowStart;

  @Option(names = "--requests", defaultValue = "400", description = "events replayed; default ${DEFAULT-VALUE}")
  int requests;

  @Option(names = "--strategies", split = ",",
      description = "comma-separated, of: static-peak, static-mean, reactive-autoscale, flowcast, "
          + "flowcast-without-arrivals, flowcast-series-only, oracle (elastic pools), static-on-demand, "
          + "static-cheapest, reactive, flowcast-without-adaptive, flowcast-without-intents (fixed pools); default "
          + "static-on-demand, static-cheapest, reactive, flowcast, oracle, or the first seven with --pools elastic")
  List<String> strategies;

  @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--no-ablation", description = "do not run flowcast's ablations when it misses a goal")
  boolean noAblation;

  @Option(names = "--tune", description = "tune flowcast's scoring weights: a random search on this replay, "
      + "the best judged on a held-back one")
  boolean tune;

  @Option(names = "--tune-trials", defaultValue = "12",
      description = "weights tried, the configured ones first; default ${DEFAULT-VALUE}")
  int tuneTrials;

  @Option(names = "--held-back-window-start", defaultValue = "0.333",
      description = "where the held-back replay of --tune begins, as a share of the log; default ${DEFAULT-VALUE}")
  double heldBackWindowStart;

  @Option(names = "--held-back-seed", description = "the held-back replay's seed; default --seed + 1")
  Long heldBackSeed;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Option(names = "--plot", description = "write the plot here (PNG)")
  Path plot;

  @Option(names = "--export-workload", paramLabel = "DIR", description = "write the replay's workload here "
      + "(history.ndjson: the earlier events as activity; requests.ndjson: the requests with their deadlines) "
      + "and replay nothing: for bench/burst.sh, which sends it to a running application")
  Path exportWorkload;

  @Override
  public Integer call() throws Exception {
    List<Strategy> chosen = new ArrayList<>();
    for (String label : strategies == null ? List.<String>of() : strategies) {
      Strategy strategy = Strategy.byLabel(label.trim()).orElse(null);
      if (strategy == null) {
        System.err.println("unknown strategy '" + label.trim() + "': one of " + String.join(", ",
            java.util.Arrays.stream(Strategy.values()).map(Strategy::label).toList()));
        return 2;
      }
      chosen.add(strategy);
    }
    if (pools != null && !pools.equals("elastic") && !pools.equals("fixed")) {
      System.err.println("--pools is elastic or fixed, not '" + pools + "'");
      return 2;
    }
    boolean elastic = pools == null ? chosen.stream().anyMatch(Strategy::needsElasticPools) || leadTimes != null
        : pools.equals("elastic");
    if (chosen.isEmpty()) {
      chosen.addAll(elastic ? Strategy.ELASTIC : Strategy.MAIN);
    }
    ElasticSetup setup;
    try {
      setup = !elastic ? null : new ElasticSetup(leadTimes == null ? ElasticSetup.DEFAULT_LEAD_TIMES : leadTimes,
          reactiveTargets, reactiveCooldowns, predictiveTargets, warmUp, overflow, scaleInHold);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    for (Path file : List.of(log, series)) {
      if (!Files.isReadable(file)) {
        System.err.println(file + ": no such file");
        return 2;
      }
    }
    ReplaySource source;
    Simulation.TuningSettings tuning;
    try {
      source = new ReplaySource(log, series, windowStart, requests, speedup, seriesSpeedup, peakLoad, columns.mapping());
      tuning = !tune ? null : new Simulation.TuningSettings(source, seed,
          new ReplaySource(log, series, heldBackWindowStart, requests, speedup, seriesSpeedup, peakLoad,
              columns.mapping()),
          heldBackSeed == null ? seed + 1 : heldBackSeed, tuneTrials);
    } catch (IllegalArgumentException | CsvEventLogReader.InvalidLogException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (tuning != null) {
      return tune(tuning);
    }
    if (exportWorkload != null) {
      Map<String, Object> described = Simulation.exportWorkload(source, exportWorkload);
      System.out.println(new ObjectMapper().writeValueAsString(described));
      return 0;
    }
    PrintStream out = System.out;
    SimulationReport report;
    // the application's own output goes to standard error, so standard output stays the report
    System.setOut(System.err);
    try (Bars bars = new Bars()) {
      report = Simulation.run(new Simulation.Settings(source, chosen, seed, !noAblation, setup), bars::replayed);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      System.setOut(out);
    }
    if (plot != null) {
      if (plot.toAbsolutePath().getParent() != null) {
        Files.createDirectories(plot.toAbsolutePath().getParent());
      }
      SimulationPlot.write(report, plot);
    }
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
    } else {
      printTable(out, report);
    }
    int lost = report.strategies().values().stream().mapToInt(SimulationReport.Figures::lost).sum();
    if (lost > 0) {
      System.err.println("FLOWCAST-103 " + lost + " requests were lost: every request must complete");
      return 1;
    }
    return 0;
  }

  private int tune(Simulation.TuningSettings tuning) throws Exception {
    PrintStream out = System.out;
    TuningReport report;
    System.setOut(System.err);
    try (Bars bars = new Bars()) {
      report = Simulation.tune(tuning, bars::replayed);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      System.setOut(out);
    }
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
      return 0;
    }
    out.printf(Locale.ROOT, "%-5s %6s %6s %6s %10s %5s %8s%n", "trial", "fit", "cost", "risk", "cost", "SLA", "p95 s");
    for (int i = 0; i < report.trials().size(); i++) {
      TuningReport.Trial trial = report.trials().get(i);
      out.printf(Locale.ROOT, "%-5s %6.2f %6.2f %6.2f %10.4f %5d %8.1f%s%n", i == 0 ? "conf." : String.valueOf(i),
          trial.weights().fitWeight(), trial.weights().costWeight(), trial.weights().riskWeight(),
          trial.figures().cost(), trial.figures().slaMisses(), trial.figures().p95Seconds(),
          trial == report.best() ? "  <- best" : "");
    }
    out.printf(Locale.ROOT, "held back: configured %.4f (%d SLA misses), best %.4f (%d SLA misses): %s%n",
        report.configuredHeldBack().cost(), report.configuredHeldBack().slaMisses(), report.bestHeldBack().cost(),
        report.bestHeldBack().slaMisses(), report.adopt() ? "the best weights win on the held-back replay too"
            : "keep the configured weights");
    return 0;
  }

  private static void printTable(PrintStream out, SimulationReport report) {
    if (report.replay().get("leadTimes") instanceof Map<?, ?> leads) {
      out.println("elastic pools, lead times " + leads + ", warm-up " + report.replay().get("warmUp")
          + " before the first request; cost = provisioned unit-seconds (60 s minimum per unit)");
    }
    out.printf(Locale.ROOT, "%-34s %10s %5s %5s %8s %8s %9s %9s %8s %6s %10s %7s%n", "strategy", "cost", "SLA", "lost",
        "p50 s", "p95 s", "queue p50", "queue p95", "switches", "intr", "unit-s", "scaled");
    for (Map.Entry<String, SimulationReport.Figures> entry : report.strategies().entrySet()) {
      SimulationReport.Figures f = entry.getValue();
      double unitSeconds = f.elastic() == null ? 0
          : f.elastic().unitSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
      out.printf(Locale.ROOT, "%-34s %10.4f %5d %5d %8.1f %8.1f %9.1f %9.1f %8d %6d %10.0f %7d%n", entry.getKey(),
          f.cost(), f.slaMisses(), f.lost(), f.p50Seconds(), f.p95Seconds(), f.queueP50Seconds(), f.queueP95Seconds(),
          f.switches(), f.interruptions(), unitSeconds, f.elastic() == null ? 0 : f.elastic().scalings());
    }
    for (SimulationReport.Goal goal : report.goals()) {
      out.printf(Locale.ROOT, "%s %s: %s%n", goal.met() ? "MET   " : "MISSED", goal.goal(), goal.figures());
    }
  }

  /** One progress bar per strategy. */
  private static final class Bars implements AutoCloseable {
    private Progress bar;
    private Strategy current;

    void replayed(Strategy strategy, int done, int total) {
      if (strategy != current) {
        close();
        current = strategy;
        bar = new Progress("simulate " + strategy.label(), total);
      }
      bar.asStepTo().accept(done);
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
