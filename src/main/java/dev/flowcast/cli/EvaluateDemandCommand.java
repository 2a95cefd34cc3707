package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.demand.DemandEvaluation;
import dev.flowcast.demand.DemandSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate-demand --series FILE}: demand forecasts at +5/+10/+15 minutes, model against baselines. */
@Command(name = "evaluate-demand", mixinStandardHelpOptions = true,
    description = "Evaluates demand forecasts at +1/+2/+3 steps on a resource series, without starting the engine.")
class EvaluateDemandCommand implements Callable<Integer> {

  @Mixin SeriesOptions series;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Map<String, DemandEvaluation.Report> reports = new LinkedHashMap<>();
    try (Progress progress = new Progress("training", (long) DemandEvaluation.totalRounds() * series.series.size())) {
      int done = 0;
      for (Path file : series.series) {
        DemandSeries grid = series.read(file);
        int offset = done;
        reports.put(file.getFileName().toString(), DemandEvaluation.run(grid, r -> progress.asStepTo().accept(offset + r)));
        done += DemandEvaluation.totalRounds();
      }
    }
    Map<String, Map<String, Double>> geometricMean = DemandEvaluation.geometricMeanRelMae(reports.values());
    if (json) {
      Object answer;
      if (reports.size() == 1) {
        answer = single(reports.values().iterator().next());
      } else {
        Map<String, Object> bySeries = new LinkedHashMap<>();
        reports.forEach((name, report) -> bySeries.put(name, single(report)));
        Map<String, Object> several = new LinkedHashMap<>();
        several.put("series", bySeries);
        several.put("geometricMeanRelMae", geometricMean);
        answer = several;
      }
      System.out.println(new ObjectMapper().writeValueAsString(answer));
      return 0;
    }
    reports.forEach((name, report) -> {
      System.out.printf(Locale.ROOT, "%s: %d points on a %s grid, %d train; upper quantile %.2f%n",
          name, report.points(), series.step, report.trainingPoints(), report.upperQuantile());
      System.out.printf(Locale.ROOT, "%-8s %-14s %14s %8s %8s %9s%n", "horizon", "forecaster", "mae", "mase", "relMae", "coverage");
      report.horizons().forEach((horizon, scores) -> scores.forEach((forecaster, s) ->
          System.out.printf(Locale.ROOT, "%-8s %-14s %14.4f %8.4f %8.4f %9s%n", horizon, forecaster, s.mae(), s.mase(), s.relMae(),
              s.upperCoverage() == null ? "" : String.format(Locale.ROOT, "%.3f", s.upperCoverage()))));
    });
    if (reports.size() > 1) {
      System.out.printf(Locale.ROOT, "geometric mean of relative MAE over %d series%n", reports.size());
      geometricMean.forEach((horizon, byForecaster) -> {
        System.out.printf(Locale.ROOT, "%-8s", horizon);
        byForecaster.forEach((forecaster, value) -> System.out.printf(Locale.ROOT, " %s %.4f", forecaster, value));
        System.out.println();
      });
    }
    return 0;
  }

  private static Map<String, Object> single(DemandEvaluation.Report report) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("points", report.points());
    answer.put("trainingPoints", report.trainingPoints());
    answer.put("upperQuantile", report.upperQuantile());
    answer.put("horizons", report.horizons());
    return answer;
  }

  /**
   * @param command the command line whose option it is (its name goes into the message)
   * @throws picocli.CommandLine.ParameterException when it is not a positive duration
   */
  static Duration parseStep(String text, picocli.CommandLine command) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    Duration step;
    try {
      if (t.startsWith("p")) {
        step = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
      } else if (t.endsWith("m")) {
        step = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        step = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("s")) {
        step = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        step = null;
      }
    } catch (RuntimeException e) {
      step = null;
    }
    if (step == null || step.isNegative() || step.isZero()) {
      throw new picocli.CommandLine.ParameterException(command,
          "--step must be a positive duration like 5m, 1h, 30s or PT5M, not '" + text + "'");
    }
    return step;
  }
}
