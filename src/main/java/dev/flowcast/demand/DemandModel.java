package dev.flowcast.demand;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.prediction.PredictionException;
import dev.flowcast.prediction.XgbModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The demand model of one resource series: per horizon (in steps), an XGBoost point model (absolute
 * error) and an upper-quantile model calibrated on held-back training origins (conformalized
 * quantile regression). Targets and features are changes in units of recent volatility
 * ({@link DemandFeatures}), so a model trained at one level and noise still applies at another.
 * The same model is evaluated by {@link DemandEvaluation} and forecasts in the application.
 */
final class DemandModel implements AutoCloseable {

  static final int[] HORIZONS = {1, 2, 3};
  static final double UPPER_QUANTILE = 0.9;
  static final int ROUNDS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A forecast in the series' own unit. */
  record Forecast(double expected, double upper) {}

  private record Horizon(XgbModel point, XgbModel upper, double widening) {}

  private final Duration step;
  private final double scale;
  private final Map<Integer, Horizon> horizons;

  private DemandModel(Duration step, double scale, Map<Integer, Horizon> horizons) {
    this.step = step;
    this.scale = scale;
    this.horizons = horizons;
  }

  /** Boosting rounds of one training, for a progress bar. */
  static int totalRounds() {
    return HORIZONS.length * 2 * ROUNDS;
  }

  /** Trains on the points before {@code trainEnd}. */
  static DemandModel train(DemandSeries series, int trainEnd, IntConsumer onRound) {
    double[] y = series.values();
    double naiveMae = 0;
    for (int t = 1; t < trainEnd; t++) {
      naiveMae += Math.abs(y[t] - y[t - 1]);
    }
    naiveMae /= Math.max(1, trainEnd - 1);
    double scale = naiveMae <= 0 ? 1.0 : naiveMae;
    DemandFeatures features = new DemandFeatures(series, scale);
    Map<Integer, Horizon> horizons = new LinkedHashMap<>();
    int roundsDone = 0;
    try {
      for (int h : HORIZONS) {
        List<float[]> rows = new ArrayList<>();
        List<Float> targets = new ArrayList<>();
        for (int t = features.firstUsable(); t + h < trainEnd; t++) {
          rows.add(features.encode(t, h));
          targets.add((float) ((y[t + h] - y[t]) / (scale * DemandEvaluation.volatility(y, t, scale))));
        }
        if (rows.size() < 8) {
          throw new IllegalArgumentException("too short a series to train on: " + trainEnd + " points");
        }
        // the upper-quantile model learns on the first 3/4 of the origins; the last 1/4 calibrates it
        int fitEnd = (int) (rows.size() * 0.75);
        float[][] x = rows.toArray(new float[0][]);
        float[] labels = toArray(targets, 0, targets.size());
        Map<String, Object> common = Map.of("max_depth", 4, "eta", 0.05, "subsample", 0.8, "min_child_weight", 5.0,
            "colsample_bytree", 0.8);
        Map<String, Object> pointParams = new HashMap<>(common);
        pointParams.put("objective", "reg:absoluteerror");
        Map<String, Object> upperParams = new HashMap<>(common);
        upperParams.put("objective", "reg:quantileerror");
        upperParams.put("quantile_alpha", UPPER_QUANTILE);
        int base = roundsDone;
        XgbModel point = XgbModel.train(x, labels, null, pointParams, ROUNDS, r -> onRound.accept(base + r));
        XgbModel upper = XgbModel.train(Arrays.copyOfRange(x, 0, fitEnd), toArray(targets, 0, fitEnd), null,
            upperParams, ROUNDS, r -> onRound.accept(base + ROUNDS + r));
        float[][] calibration = upper.predict(Arrays.copyOfRange(x, fitEnd, x.length));
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < calibration.length; i++) {
          scores.add((double) (labels[fitEnd + i] - calibration[i][0]));
        }
        horizons.put(h, new Horizon(point, upper, DemandEvaluation.quantile(scores, UPPER_QUANTILE)));
        roundsDone += 2 * ROUNDS;
      }
    } catch (RuntimeException e) {
      new DemandModel(series.step(), scale, horizons).close();
      throw e;
    }
    return new DemandModel(series.step(), scale, horizons);
  }

  Duration step() {
    return step;
  }

  /** The first index of a series a forecast can be made from. */
  static int firstUsable() {
    return Math.max(DemandFeatures.LAGS[DemandFeatures.LAGS.length - 1],
        DemandFeatures.WINDOWS[DemandFeatures.WINDOWS.length - 1]);
  }

  /** Forecasts from each of the origins, {@code steps} ahead; the upper bound without online widening. */
  Forecast[] forecast(DemandSeries series, int[] origins, int steps) {
    Horizon horizon = horizons.get(steps);
    if (horizon == null) {
      throw new IllegalArgumentException("no model for " + steps + " steps ahead; horizons: " + horizons.keySet());
    }
    double[] y = series.values();
    DemandFeatures features = new DemandFeatures(series, scale);
    float[][] rows = new float[origins.length][];
    for (int i = 0; i < origins.length; i++) {
      rows[i] = features.encode(origins[i], steps);
    }
    float[][] point = horizon.point().predict(rows);
    float[][] upper = horizon.upper().predict(rows);
    Forecast[] forecasts = new Forecast[origins.length];
    for (int i = 0; i < origins.length; i++) {
      int t = origins[i];
      double unit = scale * DemandEvaluation.volatility(y, t, scale);
      forecasts[i] = new Forecast(y[t] + point[i][0] * unit, y[t] + (upper[i][0] + horizon.widening()) * unit);
    }
    return forecasts;
  }

  /** The volatility unit at an origin: what the upper bound widens by, per unit of online widening. */
  double unitAt(DemandSeries series, int t) {
    return scale * DemandEvaluation.volatility(series.values(), t, scale);
  }

  double widening(int steps) {
    return horizons.get(steps).widening();
  }

  byte[] toBytes() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("stepSeconds", step.toSeconds());
      meta.put("scale", scale);
      Map<String, Double> widenings = new LinkedHashMap<>();
      horizons.forEach((h, horizon) -> widenings.put(String.valueOf(h), horizon.widening()));
      meta.put("widening", widenings);
      put(zip, "meta.json", JSON.writeValueAsBytes(meta));
      for (Map.Entry<Integer, Horizon> entry : horizons.entrySet()) {
        put(zip, "point-" + entry.getKey() + ".ubj", entry.getValue().point().bytes());
        put(zip, "upper-" + entry.getKey() + ".ubj", entry.getValue().upper().bytes());
      }
      zip.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws PredictionException when the bytes are not a demand model */
  static DemandModel fromBytes(byte[] bytes) {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
      if (!entries.containsKey("meta.json")) {
        throw new PredictionException("not a demand model: no meta.json", null);
      }
      Map<?, ?> meta = JSON.readValue(entries.get("meta.json"), Map.class);
      Map<?, ?> widening = (Map<?, ?>) meta.get("widening");
      Map<Integer, Horizon> horizons = new LinkedHashMap<>();
      int width = DemandFeatures.names().size();
      for (Map.Entry<?, ?> entry : widening.entrySet()) {
        int h = Integer.parseInt(entry.getKey().toString());
        byte[] point = entries.get("point-" + h + ".ubj");
        byte[] upper = entries.get("upper-" + h + ".ubj");
        if (point == null || upper == null) {
          throw new PredictionException("demand model lacks its boosters for " + h + " steps", null);
        }
        horizons.put(h, new Horizon(XgbModel.load(point, width), XgbModel.load(upper, width),
            ((Number) entry.getValue()).doubleValue()));
      }
      return new DemandModel(Duration.ofSeconds(((Number) meta.get("stepSeconds")).longValue()),
          ((Number) meta.get("scale")).doubleValue(), horizons);
    } catch (IOException | RuntimeException e) {
      if (e instanceof PredictionException prediction) {
        throw prediction;
      }
      throw new PredictionException("not a demand model: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    horizons.values().forEach(h -> {
      h.point().close();
      h.upper().close();
    });
  }

  private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content);
    zip.closeEntry();
  }

  private static float[] toArray(List<Float> values, int from, int to) {
    float[] out = new float[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = values.get(i);
    }
    return out;
  }
}
