package dev.flowcast.demand;

import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.Projection;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A recorded resource series replayed through the forecasters the application projects with: the
 * trend (as the monitor runs it, on the last {@code trendPoints} measurements) and the learned
 * series model (trained on the first 2/3 in time, as the application trains on its history, and
 * asked from every origin of the last 1/3 as the application asks it). Reports, per horizon, the
 * MAE of projected use against what was then measured, and the coverage of the model's upper
 * quantile as the application uses it (calibrated on training origins, then adapted online from
 * each forecast's outcome once it is known: {@link OnlineWidening}).
 */
public final class ProjectionEvaluation {

  /** One forecaster at one horizon; {@code upperCoverage} where the forecaster has an upper bound worth scoring. */
  public record Scores(double mae, Double upperCoverage) {}

  /** Per horizon ({@code 5m} ...), per forecaster ({@code trend}, {@code series}). */
  public record Report(int points, int trainingPoints, Map<String, Map<String, Scores>> horizons) {}

  private ProjectionEvaluation() {}

  public static int totalRounds() {
    return DemandModel.totalRounds();
  }

  public static Report run(DemandSeries series, int trendPoints, IntConsumer onRound) {
    double[] y = series.values();
    int trainEnd = (int) Math.round(y.length * 2.0 / 3.0);
    DemandForecaster trend = DemandForecaster.trend(1.645);
    Map<String, Map<String, Scores>> horizons = new LinkedHashMap<>();
    try (DemandModel model = DemandModel.train(series, trainEnd, onRound)) {
      for (int h : DemandModel.HORIZONS) {
        List<Integer> originList = new ArrayList<>();
        for (int t = Math.max(trainEnd, trendPoints); t + h < y.length; t++) {
          originList.add(t);
        }
        int[] origins = originList.stream().mapToInt(Integer::intValue).toArray();
        DemandModel.Forecast[] learned = model.forecast(series, origins, h);
        Map<String, Scores> scores = scoreTrendAndSeries(series, model, trend, origins, learned, h, trendPoints);
        Duration horizon = series.step().multipliedBy(h);
        horizons.put(horizon.toMinutes() + "m", scores);
      }
    }
    return new Report(y.length, trainEnd, horizons);
  }

  /**
   * The trend's and the series model's scores from the given origins, {@code h} steps ahead: MAE,
   * and the coverage of the series model's upper bound as it adapts online.
   */
  static Map<String, Scores> scoreTrendAndSeries(DemandSeries series, DemandModel model, DemandForecaster trend,
      int[] origins, DemandModel.Forecast[] learned, int h, int trendPoints) {
    double[] y = series.values();
    OnlineWidening widening = new OnlineWidening(DemandModel.UPPER_QUANTILE);
    Duration horizon = series.step().multipliedBy(h);
    double trendError = 0;
    double seriesError = 0;
    int covered = 0;
    for (int i = 0; i < origins.length; i++) {
      int t = origins[i];
      double truth = y[t + h];
      Projection projected = trend.projectUse(ResourceKind.CPU, recent(series, t, trendPoints), horizon);
      trendError += Math.abs(truth - projected.expected());
      seriesError += Math.abs(truth - learned[i].expected());
      widening.learn(t, step -> y[(int) step]);
      double upper = learned[i].upper() + widening.current() * model.unitAt(series, t);
      widening.forecastMade(t, t + h, upper);
      if (truth <= upper) {
        covered++;
      }
    }
    int n = Math.max(1, origins.length);
    Map<String, Scores> scores = new LinkedHashMap<>();
    scores.put("trend", new Scores(trendError / n, null));
    scores.put("series", new Scores(seriesError / n, (double) covered / n));
    return scores;
  }

  /** Per horizon: the geometric mean over several series of the series model's MAE divided by the trend's. */
  public static Map<String, Double> geometricMeanMaeRatio(Collection<Report> reports) {
    Map<String, Double> logSums = new LinkedHashMap<>();
    for (Report report : reports) {
      report.horizons().forEach((horizon, scores) -> logSums.merge(horizon,
          Math.log(scores.get("series").mae() / scores.get("trend").mae()), Double::sum));
    }
    Map<String, Double> means = new LinkedHashMap<>();
    logSums.forEach((horizon, sum) -> means.put(horizon, Math.exp(sum / reports.size())));
    return means;
  }

  /** The measurements the monitor would hold at index t: the last {@code count} points, as samples of CPU use. */
  private static List<ResourceSample> recent(DemandSeries series, int t, int count) {
    List<ResourceSample> samples = new ArrayList<>(count);
    for (int i = Math.max(0, t - count + 1); i <= t; i++) {
      double used = series.values()[i];
      samples.add(new ResourceSample(series.timeAt(i), Double.MAX_VALUE, used, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
    return samples;
  }
}
