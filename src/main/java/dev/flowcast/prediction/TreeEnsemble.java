package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trees of an XGBoost model, read from its JSON form and evaluated in Java: one row at a time
 * costs a few array reads per tree, where a call into the native library costs far more than the
 * trees themselves. Trees are grouped by depth and made complete, so a walk is a fixed number of
 * steps computed without a branch on the data, several trees at once; a row's values are compared
 * as ints that order as the floats do, a missing value (NaN) as below or above every threshold,
 * whichever way its split sends missing values. Arithmetic follows XGBoost's own: a value below the
 * threshold goes left, NaN goes the default way, margins are summed in float in the booster's order
 * of trees, softmax over the classes for {@code multi:softprob}.
 */
final class TreeEnsemble {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int classes;
  private final boolean softmax;
  private final float[] baseMargin;
  private final int[] treeClass;
  /**
   * Columns of a row. A call's keys have twice as many: first the row's values with a missing one
   * below every threshold, then with a missing one above; a split reads the first half when it
   * sends missing values left, the second when right.
   */
  private final int width;
  /** Each tree's leaf value when it has no split, 0 for the others: the start of every call's leaf values. */
  private final float[] constant;
  /** The trees with splits, one group per depth. */
  private final Group[] groups;

  /**
   * The trees of one depth d, each made complete (a leaf above depth d becomes a split that always
   * goes right, its value copied below), so every walk takes d steps in one loop without a branch on
   * the data. Per tree 2^d - 1 splits, children of split i at 2i + 1 and 2i + 2, then 2^d leaves.
   * A split is one long: the column of the row of keys above, the threshold's key below.
   */
  private record Group(int depth, int[] tree, long[] splits, float[] leaves) {}

  private TreeEnsemble(int classes, boolean softmax, float[] baseMargin, int width, int[] treeOffset,
      int[] treeClass, int[] left, int[] right, int[] feature, float[] value, boolean[] defaultLeft) {
    this.classes = classes;
    this.softmax = softmax;
    this.baseMargin = baseMargin;
    this.treeClass = treeClass;
    this.width = width;
    int trees = treeOffset.length;
    this.constant = new float[trees];
    int[] depth = new int[trees];
    int deepest = 0;
    for (int t = 0; t < trees; t++) {
      depth[t] = depth(treeOffset[t], treeOffset[t], left, right);
      deepest = Math.max(deepest, depth[t]);
      if (depth[t] == 0) {
        constant[t] = value[treeOffset[t]];
      }
    }
    List<Group> built = new ArrayList<>();
    for (int d = 1; d <= deepest; d++) {
      int count = 0;
      for (int t = 0; t < trees; t++) {
        count += depth[t] == d ? 1 : 0;
      }
      if (count == 0) {
        continue;
      }
      int inner = (1 << d) - 1;
      int[] tree = new int[count];
      long[] splits = new long[count * inner];
      float[] leaves = new float[count * (inner + 1)];
      int at = 0;
      for (int t = 0; t < trees; t++) {
        if (depth[t] == d) {
          tree[at] = t;
          complete(treeOffset[t], treeOffset[t], 0, 0, d, left, right, feature, value, defaultLeft, width,
              splits, at * inner, leaves, at * (inner + 1));
          at++;
        }
      }
      built.add(new Group(d, tree, splits, leaves));
    }
    this.groups = built.toArray(new Group[0]);
  }

  private static int depth(int root, int node, int[] left, int[] right) {
    return left[node] == -1 ? 0
        : 1 + Math.max(depth(root, root + left[node], left, right), depth(root, root + right[node], left, right));
  }

  /** Copies node (and below) to position {@code at} of a complete tree of {@code depth} levels. */
  private static void complete(int root, int node, int at, int level, int depth, int[] left, int[] right,
      int[] feature, float[] value, boolean[] defaultLeft, int width, long[] splits, int splitBase, float[] leaves,
      int leafBase) {
    int inner = (1 << depth) - 1;
    if (level == depth) {
      leaves[leafBase + at - inner] = value[node];
      return;
    }
    boolean leaf = left[node] == -1;
    // a missing value reads as below every threshold (goes left) or above every one (goes right)
    int column = leaf ? 0 : feature[node] + (defaultLeft[node] ? 0 : width);
    int threshold = leaf ? Integer.MIN_VALUE : key(value[node]); // nothing is below MIN_VALUE: right
    splits[splitBase + at] = (long) column << 32 | (threshold & 0xFFFFFFFFL);
    complete(root, leaf ? node : root + left[node], 2 * at + 1, level + 1, depth, left, right, feature, value,
        defaultLeft, width, splits, splitBase, leaves, leafBase);
    complete(root, leaf ? node : root + right[node], 2 * at + 2, level + 1, depth, left, right, feature, value,
        defaultLeft, width, splits, splitBase, leaves, leafBase);
  }

  /**
   * An int that orders as the float does ({@code a < b} exactly when {@code key(a) < key(b)}), -0
   * and 0 alike; never {@link Integer#MIN_VALUE} or {@link Integer#MAX_VALUE}, kept for a missing value.
   */
  private static int key(float x) {
    int bits = Float.floatToRawIntBits(x + 0f); // -0 + 0 is 0
    return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
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
      int width = parameters.has("num_feature") ? parameters.get("num_feature").asInt() : 0;
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
      for (int i = 0; i < nodes; i++) {
        width = Math.max(width, feature[i] + 1);
      }
      return new TreeEnsemble(classes, softmax, base, width, offsets, classOf, left, right, feature, value,
          defaultLeft);
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
    return constant.length;
  }

  /** The model's output for one row: class probabilities, or the single value of a regression. */
  float[] predict(float[] row) {
    int[] keys = new int[2 * width];
    int known = Math.min(row.length, width);
    for (int f = 0; f < width; f++) {
      float x = f < known ? row[f] : Float.NaN;
      boolean missing = x != x;
      keys[f] = missing ? Integer.MIN_VALUE : key(x);
      keys[width + f] = missing ? Integer.MAX_VALUE : keys[f];
    }
    float[] leaf = constant.clone();
    for (Group group : groups) {
      walk(group, keys, leaf);
    }
    // margins summed tree by tree in the booster's order, as XGBoost sums them
    float[] margin = baseMargin.clone();
    int[] classOf = treeClass;
    for (int t = 0; t < leaf.length; t++) {
      margin[classOf[t]] += leaf[t];
    }
    return softmax ? softmax(margin) : margin;
  }

  private static void walk(Group group, int[] keys, float[] leaf) {
    int depth = group.depth;
    int inner = (1 << depth) - 1;
    int[] tree = group.tree;
    long[] splits = group.splits;
    float[] leaves = group.leaves;
    int i = 0;
    // eight trees side by side: their walks do not wait for each other
    for (; i + 7 < tree.length; i += 8) {
      int b0 = i * inner;
      int b1 = b0 + inner;
      int b2 = b1 + inner;
      int b3 = b2 + inner;
      int b4 = b3 + inner;
      int b5 = b4 + inner;
      int b6 = b5 + inner;
      int b7 = b6 + inner;
      int a0 = 0;
      int a1 = 0;
      int a2 = 0;
      int a3 = 0;
      int a4 = 0;
      int a5 = 0;
      int a6 = 0;
      int a7 = 0;
      for (int level = 0; level < depth; level++) {
        long s0 = splits[b0 + a0];
        long s1 = splits[b1 + a1];
        long s2 = splits[b2 + a2];
        long s3 = splits[b3 + a3];
        long s4 = splits[b4 + a4];
        long s5 = splits[b5 + a5];
        long s6 = splits[b6 + a6];
        long s7 = splits[b7 + a7];
        a0 = 2 * a0 + 2 - (int) (((long) keys[(int) (s0 >>> 32)] - (int) s0) >>> 63);
        a1 = 2 * a1 + 2 - (int) (((long) keys[(int) (s1 >>> 32)] - (int) s1) >>> 63);
        a2 = 2 * a2 + 2 - (int) (((long) keys[(int) (s2 >>> 32)] - (int) s2) >>> 63);
        a3 = 2 * a3 + 2 - (int) (((long) keys[(int) (s3 >>> 32)] - (int) s3) >>> 63);
        a4 = 2 * a4 + 2 - (int) (((long) keys[(int) (s4 >>> 32)] - (int) s4) >>> 63);
        a5 = 2 * a5 + 2 - (int) (((long) keys[(int) (s5 >>> 32)] - (int) s5) >>> 63);
        a6 = 2 * a6 + 2 - (int) (((long) keys[(int) (s6 >>> 32)] - (int) s6) >>> 63);
        a7 = 2 * a7 + 2 - (int) (((long) keys[(int) (s7 >>> 32)] - (int) s7) >>> 63);
      }
      leaf[tree[i + 0]] = leaves[b0 + i + 0 + a0 - inner];
      leaf[tree[i + 1]] = leaves[b1 + i + 1 + a1 - inner];
      leaf[tree[i + 2]] = leaves[b2 + i + 2 + a2 - inner];
      leaf[tree[i + 3]] = leaves[b3 + i + 3 + a3 - inner];
      leaf[tree[i + 4]] = leaves[b4 + i + 4 + a4 - inner];
      leaf[tree[i + 5]] = leaves[b5 + i + 5 + a5 - inner];
      leaf[tree[i + 6]] = leaves[b6 + i + 6 + a6 - inner];
      leaf[tree[i + 7]] = leaves[b7 + i + 7 + a7 - inner];
    }
    for (; i < tree.length; i++) {
      int base = i * inner;
      int at = 0;
      for (int level = 0; level < depth; level++) {
        long split = splits[base + at];
        // 1 when the value is below the threshold (go left, 2at + 1), else 0 (go right, 2at + 2)
        int below = (int) (((long) keys[(int) (split >>> 32)] - (int) split) >>> 63);
        at = 2 * at + 2 - below;
      }
      leaf[tree[i]] = leaves[base + i + at - inner];
    }
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
