package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The trees of an XGBoost model, read from its JSON form and evaluated in Java: one row at a time
 * costs a few array reads per tree, where a call into the native library costs far more than the
 * trees themselves. All trees sit in flat arrays (children, split feature, threshold or leaf value,
 * default direction for a missing value), each tree from its offset. Arithmetic follows XGBoost's
 * own: a value below the threshold goes left, NaN goes the default way, margins are summed in
 * float, softmax over the classes for {@code multi:softprob}.
 */
final class TreeEnsemble {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int classes;
  private final boolean softmax;
  private final float[] baseMargin;
  private final int[] treeOffset;
  private final int[] treeClass;
  /**
   * Four ints a node, side by side for the cache (16 bytes): where the left child starts in this
   * array (-1 for a leaf), where the right child starts, the split feature with the default
   * direction in its sign bit, and the threshold (a leaf's value) as float bits.
   */
  private final int[] nodes;

  private TreeEnsemble(int classes, boolean softmax, float[] baseMargin, int[] treeOffset, int[] treeClass, int[] left,
      int[] right, int[] feature, float[] value, boolean[] defaultLeft) {
    this.classes = classes;
    this.softmax = softmax;
    this.baseMargin = baseMargin;
    this.treeOffset = treeOffset;
    this.treeClass = treeClass;
    this.nodes = new int[4 * value.length];
    for (int t = 0; t < treeOffset.length; t++) {
      int end = t + 1 < treeOffset.length ? treeOffset[t + 1] : value.length;
      for (int i = treeOffset[t]; i < end; i++) {
        nodes[4 * i] = left[i] == -1 ? -1 : 4 * (treeOffset[t] + left[i]);
        nodes[4 * i + 1] = right[i] == -1 ? -1 : 4 * (treeOffset[t] + right[i]);
        nodes[4 * i + 2] = feature[i] | (defaultLeft[i] ? Integer.MIN_VALUE : 0);
        nodes[4 * i + 3] = Float.floatToRawIntBits(value[i]);
      }
      treeOffset[t] *= 4;
    }
  }

  /** @param json the booster saved as JSON ({@code toByteArray("json")}) */
  static TreeEnsemble fromJson(byte[] json) {
    try {
      JsonNode learner = JSON.readTree(json).get("learner");
      JsonNode parameters = learner.get("learner_model_param");
      int classes = Math.max(1, Integer.parseInt(parameters.get("num_class").asText()));
      String objective = learner.get("objective").get("name").asText();
      boolean softmax = objective.equals("multi:softprob") || objective.equals("multi:softmax");
      float[] base = baseScores(parameters.get("base_score").asText(), classes);
      JsonNode model = learner.get("gradient_booster").get("model");
      JsonNode trees = model.get("trees");
      JsonNode info = model.get("tree_info");
      int nodes = 0;
      for (JsonNode tree : trees) {
        nodes += tree.get("left_children").size();
      }
      int[] offsets = new int[trees.size()];
      int[] classOf = new int[trees.size()];
      int[] left = new int[nodes];
      int[] right = new int[nodes];
      int[] feature = new int[nodes];
      float[] value = new float[nodes];
      boolean[] defaultLeft = new boolean[nodes];
      int at = 0;
      for (int t = 0; t < trees.size(); t++) {
        JsonNode tree = trees.get(t);
        offsets[t] = at;
        classOf[t] = info.get(t).asInt();
        JsonNode l = tree.get("left_children");
        for (int i = 0; i < l.size(); i++) {
          left[at + i] = l.get(i).asInt();
          right[at + i] = tree.get("right_children").get(i).asInt();
          feature[at + i] = tree.get("split_indices").get(i).asInt();
          // a leaf keeps its value where a split keeps its threshold
          value[at + i] = (float) tree.get("split_conditions").get(i).asDouble();
          defaultLeft[at + i] = tree.get("default_left").get(i).asInt() == 1;
          if (tree.has("split_type") && tree.get("split_type").get(i).asInt() != 0) {
            throw new PredictionException("categorical splits are not supported by the tree evaluator", null);
          }
        }
        at += l.size();
      }
      return new TreeEnsemble(classes, softmax, base, offsets, classOf, left, right, feature, value, defaultLeft);
    } catch (IOException | RuntimeException e) {
      if (e instanceof PredictionException p) {
        throw p;
      }
      throw new PredictionException("the model's trees cannot be read: " + e.getMessage(), e);
    }
  }

  /** {@code "5E-1"} or, per class, {@code "[5E-1,5E-1]"}. */
  private static float[] baseScores(String text, int classes) {
    float[] base = new float[classes];
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      String[] parts = trimmed.substring(1, trimmed.length() - 1).split(",");
      for (int c = 0; c < classes; c++) {
        base[c] = Float.parseFloat(parts[parts.length == 1 ? 0 : c].strip());
      }
    } else {
      java.util.Arrays.fill(base, Float.parseFloat(trimmed));
    }
    return base;
  }

  int classes() {
    return classes;
  }

  int trees() {
    return treeOffset.length;
  }

  /** The model's output for one row: class probabilities, or the single value of a regression. */
  float[] predict(float[] row) {
    float[] margin = baseMargin.clone();
    int[] packed = nodes;
    for (int t = 0; t < treeOffset.length; t++) {
      int node = treeOffset[t];
      int left = packed[node];
      while (left != -1) {
        int split = packed[node + 2];
        float x = row[split & Integer.MAX_VALUE];
        boolean goLeft = x != x ? split < 0 : x < Float.intBitsToFloat(packed[node + 3]); // x != x: NaN, missing
        node = goLeft ? left : packed[node + 1];
        left = packed[node];
      }
      margin[treeClass[t]] += Float.intBitsToFloat(packed[node + 3]);
    }
    return softmax ? softmax(margin) : margin;
  }

  private static float[] softmax(float[] margin) {
    float max = margin[0];
    for (float m : margin) {
      max = Math.max(max, m);
    }
    double sum = 0;
    for (int c = 0; c < margin.length; c++) {
      margin[c] = (float) Math.exp(margin[c] - max);
      sum += margin[c];
    }
    for (int c = 0; c < margin.length; c++) {
      margin[c] = (float) (margin[c] / sum);
    }
    return margin;
  }
}
