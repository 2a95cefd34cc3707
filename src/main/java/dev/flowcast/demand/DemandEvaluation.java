package dev.flowcast.demand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Demand forecasts at +1, +2 and +3 steps (5, 10, 15 minutes on a 5-minute grid), split by time:
 * the first 2/3 of the grid train, forecasts from every origin in the last 1/3 are scored. The
 * model (XGBoost, one point model with absolute error and one upper-quantile model per horizon)
 * against last value, seasonal naive (one day before) and the trailing mean of the last 3 steps.
 * MASE divides by the in-sample MAE of the one-step naive forecast on the training part; relative
 * MAE divides by the last-value forecast's test MAE. Like a running system, the upper bound learns
 * from the outcomes of earlier forecasts once they are known ({@link AdaptiveWidening}).
 */
public final class DemandEvaluation {

  public static final int[] HORIZONS = DemandModel.HORIZONS;
  static final double UPPER_QUANTILE = DemandModel.UPPER_QUANTILE;

  /** The scores of one forecaster at one horizon; {@code upperCoverage} only for the model. */
  public record Scores(double mae, double mase, double relMae, Double upperCoverage) {}

  /** Per horizon (e.g. {@code 5m}), per forecaster ({@code model}, {@code lastValue} ...). */
  public record Report(int points, int trainingPoints, double upperQuantile, Map<String, Map<String, Scores>> horizons) {}

  private DemandEvaluation() {}

  /** Per horizon, per forecaster: the geometric mean of relative MAE over several series. */
  public static Map<String, Map<String, Double>> geometricMeanRelMae(java.util.Collection<Report> reports) {
    Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
    for (Report report : reports) {
      report.horizons().forEach((horizon, scores) -> scores.forEach((forecaster, s) ->
          sums.computeIfAbsent(horizon, h -> new LinkedHashMap<>()).merge(forecaster, Math.log(s.relMae()), Double::sum)));
    }
    Map<String, Map<String, Double>> means = new LinkedHashMap<>();
    sums.forEach((horizon, byForecaster) -> byForecaster.forEach((forecaster, sum) ->
        means.computeIfAbsent(horizon, h -> new LinkedHashMap<>()).put(forecaster, Math.exp(sum / reports.size()))));
    return means;
  }

  /** Boosting rounds in all, for a progress bar. */
  public static int totalRounds() {
    return DemandModel.totalRounds();
  }

  public static Report run(DemandSeries series, IntConsumer onRound) {
    double[] y = series.values();
    int trainEnd = (int) Math.round(y.length * 2.0 / 3.0);
    double naiveMae = 0;
    for (int t = 1; t < trainEnd; t++) {
      naiveMae += Math.abs(y[t] - y[t - 1]);
    }
    naiveMae /= Math.max(1, trainEnd - 1);
    int stepsPerDay = (int) (86_400_000L / series.step().toMillis());
    Map<String, Map<String, Scores>> horizons = new LinkedHashMap<>();
    try (DemandModel model = DemandModel.train(series, trainEnd, onRound)) {
      for (int h : HORIZONS) {
        List<Integer> originList = new ArrayList<>();
        for (int t = trainEnd; t + h < y.length; t++) {
          originList.add(t);
        }
        int[] origins = originList.stream().mapToInt(Integer::intValue).toArray();
        DemandModel.Forecast[] forecasts = model.forecast(series, origins, h);
        double model_ = 0, last = 0, seasonal = 0, trailing = 0;
        int covered = 0;
        // like a running system, the upper bound learns from outcomes once they are known
        AdaptiveWidening adaptive = new AdaptiveWidening(model.widening(h), UPPER_QUANTILE);
        for (int i = 0; i < origins.length; i++) {
          int t = origins[i];
          adaptive.learnOutcomesKnownAt(t);
          double truth = y[t + h];
          model_ += Math.abs(truth - forecasts[i].expected());
          double upper = forecasts[i].upper() + (adaptive.current() - model.widening(h)) * model.unitAt(series, t);
          boolean hit = truth <= upper;
          if (hit) {
            covered++;
          }
          adaptive.forecastMade(t + h, hit);
          last += Math.abs(truth - y[t]);
          int dayBefore = t + h - stepsPerDay;
          seasonal += Math.abs(truth - (dayBefore >= 0 ? y[dayBefore] : y[t]));
          trailing += Math.abs(truth - (y[t] + y[t - 1] + y[t - 2]) / 3.0);
        }
        int n = Math.max(1, origins.length);
        double lastMae = last / n;
        Map<String, Scores> scores = new LinkedHashMap<>();
        scores.put("model", scores(model_ / n, naiveMae, lastMae, (double) covered / n));
        scores.put("lastValue", scores(lastMae, naiveMae, lastMae, null));
        scores.put("seasonalNaive", scores(seasonal / n, naiveMae, lastMae, null));
        scores.put("trailingMean", scores(trailing / n, naiveMae, lastMae, null));
        horizons.put(h * series.step().toMinutes() + "m", scores);
      }
    }
    return new Report(y.length, trainEnd, UPPER_QUANTILE, horizons);
  }

  /**
   * Adaptive conformal widening (Gibbs and Candès, 2021): once the truth of a forecast is known,
   * the upper bound widens a little after a miss and narrows a little after a hit, so that its
   * coverage returns to the nominal level when the series changes. It only uses outcomes that
   * have happened by the time of the next forecast.
   */
  static final class AdaptiveWidening {
    private static final double STEP = 0.05;
    private final double nominal;
    private final java.util.ArrayDeque<long[]> pending = new java.util.ArrayDeque<>();
    private double widening;

    AdaptiveWidening(double initial, double nominal) {
      this.widening = initial;
      this.nominal = nominal;
    }

    double current() {
      return widening;
    }

    void forecastMade(int knownAt, boolean hit) {
      pending.addLast(new long[] {knownAt, hit ? 1 : 0});
    }

    void learnOutcomesKnownAt(int now) {
      while (!pending.isEmpty() && pending.peekFirst()[0] <= now) {
        boolean hit = pending.removeFirst()[1] == 1;
        widening += hit ? -STEP * (1 - nominal) : STEP * nominal;
      }
    }
  }

  /** Recent volatility: mean absolute one-step change over the last 12 steps, in units of scale (at least 0.1). */
  static double volatility(double[] y, int t, double scale) {
    int from = Math.max(1, t - 11);
    double sum = 0;
    for (int i = from; i <= t; i++) {
      sum += Math.abs(y[i] - y[i - 1]);
    }
    return Math.max(0.1, sum / Math.max(1, t - from + 1) / scale);
  }

  /** The q-quantile of the values (the smallest value with at least q of them at or below it). */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int index = (int) Math.ceil(q * (sorted.size() + 1)) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static Scores scores(double mae, double naiveMae, double lastValueMae, Double coverage) {
    return new Scores(mae, naiveMae > 0 ? mae / naiveMae : Double.NaN, lastValueMae > 0 ? mae / lastValueMae : Double.NaN, coverage);
  }
}
