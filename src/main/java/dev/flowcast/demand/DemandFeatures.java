package dev.flowcast.demand;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The features of a series at index t for a forecast h steps ahead, relative to the current value
 * (so a model trained at one level still applies at another) and in units of recent volatility
 * (so one trained on calm data still applies to a noisy regime):
 * lags, rolling means, spreads and extremes over 3, 12 and 36 steps, the value one day before the
 * target time, the horizon, and the target's hour and weekday on the circle.
 */
final class DemandFeatures {

  static final int[] LAGS = {1, 2, 3, 4, 5, 6, 9, 12};
  static final int[] WINDOWS = {3, 12, 36};

  private final DemandSeries series;
  private final int stepsPerDay;
  private final double scale;

  DemandFeatures(DemandSeries series, double scale) {
    this.series = series;
    this.stepsPerDay = (int) (86_400_000L / series.step().toMillis());
    this.scale = scale <= 0 ? 1.0 : scale;
  }

  /** The first index with a full history for every feature but the daily one. */
  int firstUsable() {
    return Math.max(LAGS[LAGS.length - 1], WINDOWS[WINDOWS.length - 1]);
  }

  int stepsPerDay() {
    return stepsPerDay;
  }

  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (int lag : LAGS) {
      names.add("lag" + lag + "_minus_now");
    }
    for (int window : WINDOWS) {
      names.add("mean" + window + "_minus_now");
      names.add("sd" + window);
      names.add("max" + window + "_minus_now");
      names.add("min" + window + "_minus_now");
    }
    names.addAll(List.of("day_before_target_minus_now", "day_before_change", "horizon", "level", "volatility",
        "target_hour_sin", "target_hour_cos", "target_weekday_sin", "target_weekday_cos"));
    return names;
  }

  float[] encode(int t, int horizon) {
    double[] y = series.values();
    double now = y[t];
    // differences in units of recent volatility: the same shape means the same at any noise level
    double unit = scale * DemandEvaluation.volatility(y, t, scale);
    float[] row = new float[names().size()];
    int c = 0;
    for (int lag : LAGS) {
      row[c++] = t - lag >= 0 ? (float) ((y[t - lag] - now) / unit) : Float.NaN;
    }
    for (int window : WINDOWS) {
      int from = Math.max(0, t - window + 1);
      double sum = 0;
      double max = -Double.MAX_VALUE;
      double min = Double.MAX_VALUE;
      for (int i = from; i <= t; i++) {
        sum += y[i];
        max = Math.max(max, y[i]);
        min = Math.min(min, y[i]);
      }
      int n = t - from + 1;
      double mean = sum / n;
      double squares = 0;
      for (int i = from; i <= t; i++) {
        squares += (y[i] - mean) * (y[i] - mean);
      }
      row[c++] = (float) ((mean - now) / unit);
      row[c++] = (float) (Math.sqrt(squares / n) / unit);
      row[c++] = (float) ((max - now) / unit);
      row[c++] = (float) ((min - now) / unit);
    }
    int dayBefore = t + horizon - stepsPerDay;
    row[c++] = dayBefore >= 0 ? (float) ((y[dayBefore] - now) / unit) : Float.NaN;
    row[c++] = dayBefore - horizon >= 0 ? (float) ((y[dayBefore] - y[dayBefore - horizon]) / unit) : Float.NaN;
    row[c++] = horizon;
    row[c++] = (float) (now / scale);
    row[c++] = (float) DemandEvaluation.volatility(y, t, scale);
    ZonedDateTime target = series.timeAt(t + horizon).atZone(ZoneOffset.UTC);
    double hour = (target.getHour() + target.getMinute() / 60.0) / 24.0 * 2 * Math.PI;
    double weekday = (target.getDayOfWeek().getValue() - 1) / 7.0 * 2 * Math.PI;
    row[c++] = (float) Math.sin(hour);
    row[c++] = (float) Math.cos(hour);
    row[c++] = (float) Math.sin(weekday);
    row[c] = (float) Math.cos(weekday);
    return row;
  }
}
