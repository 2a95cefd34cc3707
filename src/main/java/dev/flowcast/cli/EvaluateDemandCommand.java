package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.prediction.DemandEvaluation;
import dev.flowcast.prediction.DemandSeries;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate-demand --series FILE}: demand forecasts at +5/+10/+15 minutes, model against baselines. */
@Command(name = "evaluate-demand", mixinStandardHelpOptions = true,
    description = "Evaluates demand forecasts at +1/+2/+3 steps on a resource series, without starting the engine.")
class EvaluateDemandCommand implements Callable<Integer> {

  @Option(names = "--series", required = true, description = "the CSV series")
  Path series;

  @Option(names = "--time-column", defaultValue = "timestamp", description = "default ${DEFAULT-VALUE}")
  String timeColumn;

  @Option(names = "--value-column", defaultValue = "value", description = "default ${DEFAULT-VALUE}")
  String valueColumn;

  @Option(names = "--time-format", defaultValue = "yyyy-MM-dd HH:mm:ss", description = "java.time pattern or 'iso'; default ${DEFAULT-VALUE}")
  String timeFormat;

  @Option(names = "--step", defaultValue = "5m", description = "the grid to resample to, e.g. 5m, 1m, 1h; default ${DEFAULT-VALUE}")
  String step;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    DemandSeries grid;
    try (Reader reader = Files.newBufferedReader(series, StandardCharsets.UTF_8)) {
      grid = DemandSeries.resample(DemandSeries.read(reader, timeColumn, valueColumn, timeFormat), parseStep(step));
    }
    DemandEvaluation.Report report;
    try (Progress progress = new Progress("training", DemandEvaluation.totalRounds())) {
      report = DemandEvaluation.run(grid, progress.asStepTo());
    }
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("points", report.points());
      answer.put("trainingPoints", report.trainingPoints());
      answer.put("upperQuantile", report.upperQuantile());
      answer.put("horizons", report.horizons());
      System.out.println(new ObjectMapper().writeValueAsString(answer));
    } else {
      System.out.printf("%s: %d points on a %s grid, %d train; upper quantile %.2f%n",
          series.getFileName(), report.points(), step, report.trainingPoints(), report.upperQuantile());
      System.out.printf("%-8s %-14s %12s %8s %8s %9s%n", "horizon", "forecaster", "mae", "mase", "relMae", "coverage");
      report.horizons().forEach((horizon, scores) -> scores.forEach((name, s) ->
          System.out.printf("%-8s %-14s %12.4f %8.4f %8.4f %9s%n", horizon, name, s.mae(), s.mase(), s.relMae(),
              s.upperCoverage() == null ? "" : String.format("%.3f", s.upperCoverage()))));
    }
    return 0;
  }

  static Duration parseStep(String text) {
    String t = text.trim().toLowerCase();
    try {
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.parse(text);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new EvaluateDemandCommand()),
          "--step must look like 5m, 1h, 30s or PT5M, not '" + text + "'");
    }
  }
}
