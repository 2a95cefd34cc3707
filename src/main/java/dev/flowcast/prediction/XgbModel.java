package dev.flowcast.prediction;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One XGBoost booster behind our own type: trained round by round (so training can show
 * progress), asked in batches without building a DMatrix ({@code inplace_predict}), saved as
 * bytes, and its native memory freed on {@link #close()}. {@link XGBoostError} becomes
 * {@link PredictionException}.
 */
final class XgbModel implements AutoCloseable {

  private final Booster booster;
  private final int width;

  private XgbModel(Booster booster, int width) {
    this.booster = booster;
    this.width = width;
  }

  /**
   * @param params XGBoost parameters (objective, depth, eta ...)
   * @param onRound called after each boosting round with its number, from 1
   */
  static XgbModel train(float[][] rows, float[] labels, float[] weights, Map<String, Object> params, int rounds,
      IntConsumer onRound) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    DMatrix train = null;
    try {
      train = new DMatrix(flatten(rows, width), rows.length, width, Float.NaN);
      train.setLabel(labels);
      if (weights != null) {
        train.setWeight(weights);
      }
      Map<String, Object> all = new HashMap<>(params);
      all.putIfAbsent("nthread", Math.max(1, Runtime.getRuntime().availableProcessors()));
      all.putIfAbsent("verbosity", 0);
      all.putIfAbsent("seed", 7);
      Booster booster = XGBoost.train(train, all, 0, Map.of(), null, null);
      for (int round = 0; round < rounds; round++) {
        booster.update(train, round);
        onRound.accept(round + 1);
      }
      return new XgbModel(booster, width);
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not train: " + e.getMessage(), e);
    } finally {
      if (train != null) {
        train.dispose();
      }
    }
  }

  static XgbModel load(byte[] bytes, int width) {
    try {
      return new XgbModel(XGBoost.loadModel(bytes), width);
    } catch (XGBoostError | java.io.IOException | RuntimeException e) {
      throw new PredictionException("the stored model cannot be loaded: " + e.getMessage(), e);
    }
  }

  /** One output row per input row: class probabilities, or a single value for regression. */
  float[][] predict(float[][] rows) {
    if (rows.length == 0) {
      return new float[0][];
    }
    try {
      return booster.inplace_predict(flatten(rows, width), rows.length, width, Float.NaN);
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not predict: " + e.getMessage(), e);
    }
  }

  /** The same trees for evaluation in Java ({@link TreeEnsemble}). */
  TreeEnsemble trees() {
    try {
      return TreeEnsemble.fromJson(booster.toByteArray("json"));
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not write the model as JSON: " + e.getMessage(), e);
    }
  }

  byte[] bytes() {
    try {
      return booster.toByteArray("ubj");
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not save the model: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    booster.dispose();
  }

  private static float[] flatten(float[][] rows, int width) {
    float[] flat = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, not " + width);
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }
}
