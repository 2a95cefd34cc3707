package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import dev.flowcast.demand.DemandSeries;
import dev.flowcast.demand.IntentLoadReplay;
import dev.flowcast.demand.ProjectionEvaluation;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate-projection --series FILE}: recorded series replayed through the application's
 * forecasters (trend and the learned series model), the MAE of projected use per horizon.
 */
@Command(name = "evaluate-projection", mixinStandardHelpOptions = true,
    description = "Replays recorded resource series through the projection's forecasters (trend, series model)"
        + " and reports the MAE of projected use at +5/+10/+15 minutes and the upper quantile's coverage.")
class EvaluateProjectionCommand implements Callable<Integer> {

  @Mixin SeriesOptions series;

  @Option(names = "--trend-points", defaultValue = "3",
      description = "the measurements the trend is fitted on (3 on a 5-minute grid: the last 15 minutes); default ${DEFAULT-VALUE}")
  int trendPoints;

  @Option(names = "--activity", description = "an event log in the help-desk log's columns (CaseID, ActivityID,"
      + " CompleteTimestamp): replays requests that cause part of the load and scores the series model with"
      + " and without the intents part")
  Path activity;

  @Option(names = "--json", description = "print one JSON line per series, then one with the geometric means")
  boolean json;

  /** Requests from the event log on top of each series: the series model alone against it with the intents part. */
  private int replayWithActivity() throws Exception {
    List<ActivityEvent> events;
    try (Reader reader = Files.newBufferedReader(activity, StandardCharsets.UTF_8)) {
      events = CsvEventLogReader.read(reader, CsvMapping.TAX_ET_AL);
    }
    Map<String, IntentLoadReplay.Report> reports = new LinkedHashMap<>();
    try (Progress progress = new Progress("training", (long) IntentLoadReplay.totalRounds() * series.series.size())) {
      int done = 0;
      for (Path file : series.series) {
        DemandSeries grid = series.read(file);
        int offset = done;
        reports.put(file.getFileName().toString(),
            IntentLoadReplay.run(grid, events, trendPoints, r -> progress.asStepTo().accept(offset + r)));
        done += IntentLoadReplay.totalRounds();
      }
    }
    Map<String, Double> ratio = new LinkedHashMap<>();
    reports.values().forEach(report -> report.horizons().forEach((horizon, scores) -> ratio.merge(horizon,
        Math.log(scores.get("seriesAndIntents").mae() / scores.get("series").mae()) / reports.size(), Double::sum)));
    ratio.replaceAll((horizon, logMean) -> Math.exp(logMean));
    ObjectMapper mapper = new ObjectMapper();
    for (Map.Entry<String, IntentLoadReplay.Report> entry : reports.entrySet()) {
      IntentLoadReplay.Report report = entry.getValue();
      if (json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("series", entry.getKey());
        line.put("requests", report.requests());
        line.put("unknownActions", report.unknownActions());
        line.put("requestShareOfUse", report.requestShareOfUse());
        line.put("horizons", report.horizons());
        line.put("intentsWeight", report.intentsWeight());
        System.out.println(mapper.writeValueAsString(line));
      } else {
        System.out.printf(Locale.ROOT, "%s + %d requests (%d actions of no known intent, no load), requests %.0f%% of use%n",
            entry.getKey(), report.requests(), report.unknownActions(), 100 * report.requestShareOfUse());
        report.horizons().forEach((horizon, scores) -> System.out.printf(Locale.ROOT,
            "%-8s trend %14.4f   series %14.4f   series+intents %14.4f   (intents weight %.3f)%n", horizon,
            scores.get("trend").mae(), scores.get("series").mae(), scores.get("seriesAndIntents").mae(),
            report.intentsWeight().get(horizon)));
      }
    }
    if (json) {
      System.out.println(mapper.writeValueAsString(Map.of("geometricMeanMaeSeriesAndIntentsOverSeries", ratio)));
    } else {
      System.out.printf(Locale.ROOT, "geometric mean over %d series of MAE(series + intents) / MAE(series):", reports.size());
      ratio.forEach((horizon, value) -> System.out.printf(Locale.ROOT, " %s %.3f", horizon, value));
      System.out.println();
    }
    return 0;
  }

  @Override
  public Integer call() throws Exception {
    if (activity != null) {
      return replayWithActivity();
    }
    Map<String, ProjectionEvaluation.Report> reports = new LinkedHashMap<>();
    try (Progress progress = new Progress("training", (long) ProjectionEvaluation.totalRounds() * series.series.size())) {
      int done = 0;
      for (Path file : series.series) {
        DemandSeries grid = series.read(file);
        int offset = done;
        reports.put(file.getFileName().toString(),
            ProjectionEvaluation.run(grid, trendPoints, r -> progress.asStepTo().accept(offset + r)));
        done += ProjectionEvaluation.totalRounds();
      }
    }
    Map<String, Double> ratio = ProjectionEvaluation.geometricMeanMaeRatio(reports.values());
    ObjectMapper mapper = new ObjectMapper();
    if (json) {
      for (Map.Entry<String, ProjectionEvaluation.Report> entry : reports.entrySet()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("series", entry.getKey());
        line.put("points", entry.getValue().points());
        line.put("horizons", entry.getValue().horizons());
        System.out.println(mapper.writeValueAsString(line));
      }
      System.out.println(mapper.writeValueAsString(Map.of("geometricMeanMaeSeriesOverTrend", ratio)));
      return 0;
    }
    reports.forEach((name, report) -> {
      System.out.printf(Locale.ROOT, "%s: %d points, %d train%n", name, report.points(), report.trainingPoints());
      System.out.printf(Locale.ROOT, "%-8s %-8s %14s %9s%n", "horizon", "forecaster", "mae", "coverage");
      report.horizons().forEach((horizon, scores) -> scores.forEach((forecaster, s) ->
          System.out.printf(Locale.ROOT, "%-8s %-8s %14.4f %9s%n", horizon, forecaster, s.mae(),
              s.upperCoverage() == null ? "" : String.format(Locale.ROOT, "%.3f", s.upperCoverage()))));
    });
    System.out.printf(Locale.ROOT, "geometric mean over %d series of MAE(series model) / MAE(trend):", reports.size());
    ratio.forEach((horizon, value) -> System.out.printf(Locale.ROOT, " %s %.3f", horizon, value));
    System.out.println();
    return 0;
  }
}
