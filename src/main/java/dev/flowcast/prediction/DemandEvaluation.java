package dev.flowcast.prediction;

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

  public static final int[] HORIZONS = {1, 2, 3};
  static final double UPPER_QUANTILE = 0.9;
  static final int ROUNDS = 300;

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
    return HORIZONS.length * 2 * ROUNDS;
  }

  public static Report run(DemandSeries series, IntConsumer onRound) {
    double[] y = series.values();
    int trainEnd = (int) Math.round(y.length * 2.0 / 3.0);
    double naiveMae = 0;
    for (int t = 1; t < trainEnd; t++) {
      naiveMae += Math.abs(y[t] - y[t - 1]);
    }
    naiveMae /= Math.max(1, trainEnd - 1);
    DemandFeatures features = new DemandFeatures(series, naiveMae);
    double scale = naiveMae <= 0 ? 1.0 : naiveMae;
    int stepsPerDay = features.stepsPerDay();
    Map<String, Map<String, Scores>> horizons = new LinkedHashMap<>();
    int[] roundsDone = {0};
    for (int h : HORIZONS) {
      List<float[]> rows = new ArrayList<>();
      List<Float> targets = new ArrayList<>();
      for (int t = features.firstUsable(); t + h < trainEnd; t++) {
        rows.add(features.encode(t, h));
        targets.add((float) ((y[t + h] - y[t]) / (scale * volatility(y, t, scale))));
      }
      // Targets are changes in units of recent volatility, so a calm history still says something
      // about a stormy future. The upper-quantile model learns on the first 3/4 of the training
      // origins; the last 1/4 calibrates it (conformalized quantile regression), so its coverage
      // holds on data it has not seen.
      int fitEnd = (int) (rows.size() * 0.75);
      float[][] x = rows.toArray(new float[0][]);
      float[] labels = toArray(targets, 0, targets.size());
      float[][] fitRows = java.util.Arrays.copyOfRange(x, 0, fitEnd);
      float[] fitLabels = toArray(targets, 0, fitEnd);
      int base = roundsDone[0];
      Map<String, Object> common = Map.of("max_depth", 4, "eta", 0.05, "subsample", 0.8, "min_child_weight", 5.0,
          "colsample_bytree", 0.8);
      Map<String, Object> pointParams = new java.util.HashMap<>(common);
      pointParams.put("objective", "reg:absoluteerror");
      Map<String, Object> upperParams = new java.util.HashMap<>(common);
      upperParams.put("objective", "reg:quantileerror");
      upperParams.put("quantile_alpha", UPPER_QUANTILE);

      List<Integer> origins = new ArrayList<>();
      for (int t = trainEnd; t + h < y.length; t++) {
        origins.add(t);
      }
      float[][] test = new float[origins.size()][];
      for (int i = 0; i < test.length; i++) {
        test[i] = features.encode(origins.get(i), h);
      }
      int firstOrigin = features.firstUsable();
      float[][] point;
      float[][] upper;
      double widening;
      try (XgbModel pointModel = XgbModel.train(x, labels, null, pointParams, ROUNDS, r -> onRound.accept(base + r));
          XgbModel upperModel = XgbModel.train(fitRows, fitLabels, null, upperParams, ROUNDS, r -> onRound.accept(base + ROUNDS + r))) {
        point = pointModel.predict(test);
        upper = upperModel.predict(test);
        float[][] calibration = upperModel.predict(java.util.Arrays.copyOfRange(x, fitEnd, x.length));
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < calibration.length; i++) {
          int t = firstOrigin + fitEnd + i;
          scores.add((double) (labels[fitEnd + i] - calibration[i][0]));
        }
        widening = quantile(scores, UPPER_QUANTILE);
      }
      roundsDone[0] += 2 * ROUNDS;

      double model = 0, last = 0, seasonal = 0, trailing = 0;
      int covered = 0;
      AdaptiveWidening adaptive = new AdaptiveWidening(widening, UPPER_QUANTILE);
      for (int i = 0; i < origins.size(); i++) {
        int t = origins.get(i);
        adaptive.learnOutcomesKnownAt(t);
        double truth = y[t + h];
        double unit = scale * volatility(y, t, scale);
        model += Math.abs(truth - (y[t] + point[i][0] * unit));
        boolean hit = truth <= y[t] + (upper[i][0] + adaptive.current()) * unit;
        if (hit) {
          covered++;
        }
        adaptive.forecastMade(t + h, hit);
        last += Math.abs(truth - y[t]);
        int dayBefore = t + h - stepsPerDay;
        seasonal += Math.abs(truth - (dayBefore >= 0 ? y[dayBefore] : y[t]));
        trailing += Math.abs(truth - (y[t] + y[t - 1] + y[t - 2]) / 3.0);
      }
      int n = Math.max(1, origins.size());
      double lastMae = last / n;
      Map<String, Scores> scores = new LinkedHashMap<>();
      scores.put("model", scores(model / n, naiveMae, lastMae, (double) covered / n));
      scores.put("lastValue", scores(lastMae, naiveMae, lastMae, null));
      scores.put("seasonalNaive", scores(seasonal / n, naiveMae, lastMae, null));
      scores.put("trailingMean", scores(trailing / n, naiveMae, lastMae, null));
      horizons.put(h * series.step().toMinutes() + "m", scores);
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

  private static float[] toArray(List<Float> values, int from, int to) {
    float[] out = new float[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = values.get(i);
    }
    return out;
  }

  private static Scores scores(double mae, double naiveMae, double lastValueMae, Double coverage) {
    return new Scores(mae, naiveMae > 0 ? mae / naiveMae : Double.NaN, lastValueMae > 0 ? mae / lastValueMae : Double.NaN, coverage);
  }
}
