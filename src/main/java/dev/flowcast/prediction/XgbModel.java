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
public final class XgbModel implements AutoCloseable {

  /** The booster's random seed unless the parameters give one: the same rows train the same trees. */
  static final int SEED = 7;

  /** Rows held out to stop boosting once their loss has not improved for {@code patience} rounds. */
  record EarlyStopping(float[][] rows, float[] labels, int patience) {}

  private final Booster booster;
  private final int width;
  private final int bestRounds;

  private XgbModel(Booster booster, int width, int bestRounds) {
    this.booster = booster;
    this.width = width;
    this.bestRounds = bestRounds;
  }

  /**
   * @param params XGBoost parameters (objective, depth, eta ...)
   * @param onRound called after each boosting round with its number, from 1
   */
  public static XgbModel train(float[][] rows, float[] labels, float[] weights, Map<String, Object> params, int rounds,
      IntConsumer onRound) {
    return train(rows, labels, weights, params, rounds, null, onRound);
  }

  /**
   * @param stopping null to boost all {@code rounds}; otherwise boosting stops early and
   *     {@link #bestRounds()} tells after how many rounds the held-out loss was lowest
   */
  static XgbModel train(float[][] rows, float[] labels, float[] weights, Map<String, Object> params, int rounds,
      EarlyStopping stopping, IntConsumer onRound) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    DMatrix train = null;
    DMatrix held = null;
    try {
      train = new DMatrix(flatten(rows, width), rows.length, width, Float.NaN);
      train.setLabel(labels);
      if (weights != null) {
        train.setWeight(weights);
      }
      Map<String, Object> all = new HashMap<>(params);
      all.putIfAbsent("nthread", Math.max(1, Runtime.getRuntime().availableProcessors()));
      all.putIfAbsent("verbosity", 0);
      all.putIfAbsent("seed", SEED);
      Booster booster = XGBoost.train(train, all, 0, Map.of(), null, null);
      if (stopping != null && stopping.rows().length > 0) {
        held = new DMatrix(flatten(stopping.rows(), width), stopping.rows().length, width, Float.NaN);
        held.setLabel(stopping.labels());
      }
      int best = rounds;
      double bestLoss = Double.POSITIVE_INFINITY;
      for (int round = 0; round < rounds; round++) {
        booster.update(train, round);
        onRound.accept(round + 1);
        if (held != null) {
          double loss = lastValue(booster.evalSet(new DMatrix[] {held}, new String[] {"held"}, round));
          if (loss < bestLoss) {
            bestLoss = loss;
            best = round + 1;
          } else if (round + 1 - best >= stopping.patience()) {
            break;
          }
        }
      }
      return new XgbModel(booster, width, best);
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not train: " + e.getMessage(), e);
    } finally {
      if (train != null) {
        train.dispose();
      }
      if (held != null) {
        held.dispose();
      }
    }
  }

  /** The metric in an evaluation line such as {@code [12]\theld-mlogloss:0.4321}. */
  private static double lastValue(String evaluation) {
    return Double.parseDouble(evaluation.substring(evaluation.lastIndexOf(':') + 1).trim());
  }

  public static XgbModel load(byte[] bytes, int width) {
    try {
      Booster booster = XGBoost.loadModel(bytes);
      return new XgbModel(booster, width, booster.getNumBoostedRound());
    } catch (XGBoostError | java.io.IOException | RuntimeException e) {
      throw new PredictionException("the stored model cannot be loaded: " + e.getMessage(), e);
    }
  }

  /** One output row per input row: class probabilities, or a single value for regression. */
  public float[][] predict(float[][] rows) {
    if (rows.length == 0) {
      return new float[0][];
    }
    try {
      return booster.inplace_predict(flatten(rows, width), rows.length, width, Float.NaN);
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not predict: " + e.getMessage(), e);
    }
  }

  /** Rounds up to the lowest held-out loss (all rounds when boosting did not stop early). */
  int bestRounds() {
    return bestRounds;
  }

  /** The same trees for evaluation in Java ({@link TreeEnsemble}). */
  TreeEnsemble trees() {
    try {
      return TreeEnsemble.fromJson(booster.toByteArray("json"));
    } catch (XGBoostError e) {
      throw new PredictionException("XGBoost could not write the model as JSON: " + e.getMessage(), e);
    }
  }

  /** The booster as bytes (XGBoost's UBJSON), for the model registry. */
  public byte[] bytes() {
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
