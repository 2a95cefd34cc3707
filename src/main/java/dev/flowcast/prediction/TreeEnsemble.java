package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trees of an XGBoost model, read from its JSON form and evaluated in Java: one row at a time
 * costs a few array reads per tree, where a call into the native library costs far more than the
 * trees themselves. Trees are grouped by depth and made complete, so a walk is a fixed number of
 * steps computed without a branch on the data, several trees at once. A split compares ranks: a
 * row's value becomes, once a call, its rank among the thresholds of its column, a missing value
 * (NaN) ranks below or above every threshold, whichever way its split sends missing values; a split
 * is one int (column and the rank of its threshold). Arithmetic follows XGBoost's own: a value below the
 * threshold goes left, NaN goes the default way, margins are summed in float in the booster's order
 * of trees, softmax over the classes for {@code multi:softprob}.
 */
final class TreeEnsemble {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Class margins summed side by side, in locals. */
  private static final int LANES = 10;

  private final int classes;
  private final boolean softmax;
  private final float[] baseMargin;
  private final int[] treeClass;
  /** Columns of a row. */
  private final int width;
  /** Per column, the distinct thresholds its splits compare with, ascending. */
  private final float[][] thresholds;
  /** A split is one int: the column of the ranks above {@code shift} bits, the rank it compares with below. */
  private final int shift;
  private final int mask;
  private final int trees;
  /**
   * Where a tree's leaf value goes in a call's leaf values: round by round (the trees of a round,
   * one per class, in class order), {@code lanes} places a round, so that each class's margin is
   * one running sum, {@value #LANES} classes at a time; 0 when the trees do not come round by round.
   */
  private final int lanes;
  /** Each call's leaf values start as these: a tree without a split has its value, all else 0. */
  private final float[] template;
  private final ThreadLocal<float[]> leafValues;
  /** The trees with splits, one group per depth. */
  private final Group[] groups;

  /**
   * The trees of one depth d, each made complete (a leaf above depth d becomes a split that always
   * goes right, its value copied below), so every walk takes d steps in one loop without a branch on
   * the data. A tree is a block of 2^(d+1) - 1 ints: its 2^d - 1 splits, children of split i at
   * 2i + 1 and 2i + 2, then its 2^d leaf values (float bits), where the walk ends.
   */
  private record Group(int depth, int[] slot, int[] blocks) {}

  private TreeEnsemble(int classes, boolean softmax, float[] baseMargin, int width, int[] treeOffset,
      int[] treeClass, int[] left, int[] right, int[] feature, float[] value, boolean[] defaultLeft) {
    this.classes = classes;
    this.softmax = softmax;
    this.baseMargin = baseMargin;
    this.treeClass = treeClass;
    this.width = width;
    this.thresholds = thresholds(width, left, feature, value);
    int most = 0;
    for (float[] column : thresholds) {
      most = Math.max(most, column.length);
    }
    // ranks run from 0 (missing, below all) to most + 1, and mask stands for missing, above all
    int bits = 32 - Integer.numberOfLeadingZeros(most + 2);
    if (bits + 32 - Integer.numberOfLeadingZeros(2 * width) > 31) {
      throw new PredictionException("the model has too many features or thresholds for the tree evaluator", null);
    }
    this.shift = bits;
    this.mask = (1 << bits) - 1;
    int trees = treeOffset.length;
    this.trees = trees;
    boolean roundByRound = trees % classes == 0;
    for (int t = 0; t < trees && roundByRound; t++) {
      roundByRound = treeClass[t] == t % classes;
    }
    this.lanes = roundByRound ? (classes + LANES - 1) / LANES * LANES : 0;
    int[] slot = new int[trees];
    for (int t = 0; t < trees; t++) {
      slot[t] = roundByRound ? t / classes * lanes + t % classes : t;
    }
    this.template = new float[roundByRound ? trees / classes * lanes : trees];
    int[] depth = new int[trees];
    int deepest = 0;
    for (int t = 0; t < trees; t++) {
      depth[t] = depth(treeOffset[t], left, right);
      deepest = Math.max(deepest, depth[t]);
      if (depth[t] == 0) {
        template[slot[t]] = value[treeOffset[t]];
      }
    }
    this.leafValues = ThreadLocal.withInitial(template::clone);
    List<Group> built = new ArrayList<>();
    for (int d = 1; d <= deepest; d++) {
      int count = 0;
      for (int t = 0; t < trees; t++) {
        count += depth[t] == d ? 1 : 0;
      }
      if (count == 0) {
        continue;
      }
      int size = (1 << (d + 1)) - 1;
      int[] tree = new int[count];
      int[] blocks = new int[count * size];
      int at = 0;
      for (int t = 0; t < trees; t++) {
        if (depth[t] == d) {
          tree[at] = slot[t];
          complete(treeOffset[t], treeOffset[t], 0, 0, d, left, right, feature, value, defaultLeft, blocks, at * size);
          at++;
        }
      }
      built.add(new Group(d, tree, blocks));
    }
    this.groups = built.toArray(new Group[0]);
  }

  private static float[][] thresholds(int width, int[] left, int[] feature, float[] value) {
    float[][] out = new float[width][];
    int[] count = new int[width];
    for (int i = 0; i < left.length; i++) {
      count[feature[i]] += left[i] == -1 ? 0 : 1;
    }
    for (int f = 0; f < width; f++) {
      out[f] = new float[count[f]];
      count[f] = 0;
    }
    for (int i = 0; i < left.length; i++) {
      if (left[i] != -1) {
        out[feature[i]][count[feature[i]]++] = value[i] + 0f; // -0 + 0 is 0: one threshold, as in a comparison
      }
    }
    for (int f = 0; f < width; f++) {
      out[f] = sortedDistinct(out[f]);
    }
    return out;
  }

  private static float[] sortedDistinct(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (float v : sorted) {
      if (n == 0 || v != sorted[n - 1]) {
        sorted[n++] = v;
      }
    }
    return Arrays.copyOf(sorted, n);
  }

  private static int depth(int root, int[] left, int[] right) {
    return depth(root, root, left, right);
  }

  private static int depth(int root, int node, int[] left, int[] right) {
    return left[node] == -1 ? 0
        : 1 + Math.max(depth(root, root + left[node], left, right), depth(root, root + right[node], left, right));
  }

  /** Copies node (and below) to position {@code at} of a complete tree of {@code depth} levels. */
  private void complete(int root, int node, int at, int level, int depth, int[] left, int[] right, int[] feature,
      float[] value, boolean[] defaultLeft, int[] blocks, int base) {
    if (level == depth) {
      blocks[base + at] = Float.floatToRawIntBits(value[node]);
      return;
    }
    boolean leaf = left[node] == -1;
    int split = 0; // column 0, rank 0: no rank is below it, always right
    if (!leaf) {
      // a missing value ranks below every threshold (goes left) or above every one (goes right)
      int column = feature[node] + (defaultLeft[node] ? 0 : width);
      int rank = Arrays.binarySearch(thresholds[feature[node]], value[node] + 0f) + 2;
      split = column << shift | rank;
    }
    blocks[base + at] = split;
    complete(root, leaf ? node : root + left[node], 2 * at + 1, level + 1, depth, left, right, feature, value,
        defaultLeft, blocks, base);
    complete(root, leaf ? node : root + right[node], 2 * at + 2, level + 1, depth, left, right, feature, value,
        defaultLeft, blocks, base);
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
      Arrays.fill(base, Float.parseFloat(trimmed));
    }
    return base;
  }

  int classes() {
    return classes;
  }

  int trees() {
    return trees;
  }

  /** The model's output for one row: class probabilities, or the single value of a regression. */
  float[] predict(float[] row) {
    // a value's rank: 1 + how many thresholds of its column it is not below; below threshold j
    // (from 0) exactly when its rank is below j + 2
    int[] ranks = new int[2 * width];
    int known = Math.min(row.length, width);
    for (int f = 0; f < width; f++) {
      float x = f < known ? row[f] : Float.NaN;
      if (x != x) {
        ranks[f] = 0;
        ranks[width + f] = mask;
      } else {
        int rank = 1 + notBelow(thresholds[f], x);
        ranks[f] = rank;
        ranks[width + f] = rank;
      }
    }
    float[] leaf = leafValues.get();
    for (Group group : groups) {
      walk(group, ranks, shift, mask, leaf);
    }
    float[] margin = lanes > 0 ? sumByRounds(leaf) : sumByTree(leaf);
    return softmax ? softmax(margin) : margin;
  }

  /** Margins summed tree by tree in the booster's order, as XGBoost sums them. */
  private float[] sumByTree(float[] leaf) {
    float[] margin = baseMargin.clone();
    int[] classOf = treeClass;
    for (int t = 0; t < leaf.length; t++) {
      margin[classOf[t]] += leaf[t];
    }
    return margin;
  }

  /** The same sums, in the same order, ten classes at a time in locals. */
  private float[] sumByRounds(float[] leaf) {
    float[] margin = Arrays.copyOf(baseMargin, lanes);
    int step = lanes;
    for (int c = 0; c < step; c += LANES) {
      float m0 = margin[c];
      float m1 = margin[c + 1];
      float m2 = margin[c + 2];
      float m3 = margin[c + 3];
      float m4 = margin[c + 4];
      float m5 = margin[c + 5];
      float m6 = margin[c + 6];
      float m7 = margin[c + 7];
      float m8 = margin[c + 8];
      float m9 = margin[c + 9];
      for (int at = c; at + LANES - 1 < leaf.length; at += step) {
        m0 += leaf[at];
        m1 += leaf[at + 1];
        m2 += leaf[at + 2];
        m3 += leaf[at + 3];
        m4 += leaf[at + 4];
        m5 += leaf[at + 5];
        m6 += leaf[at + 6];
        m7 += leaf[at + 7];
        m8 += leaf[at + 8];
        m9 += leaf[at + 9];
      }
      margin[c] = m0;
      margin[c + 1] = m1;
      margin[c + 2] = m2;
      margin[c + 3] = m3;
      margin[c + 4] = m4;
      margin[c + 5] = m5;
      margin[c + 6] = m6;
      margin[c + 7] = m7;
      margin[c + 8] = m8;
      margin[c + 9] = m9;
    }
    return margin.length == classes ? margin : Arrays.copyOf(margin, classes);
  }

  /** How many of the ascending thresholds are at most x (a search without a branch on the data). */
  private static int notBelow(float[] thresholds, float x) {
    int n = thresholds.length;
    if (n == 0) {
      return 0;
    }
    int base = 0;
    while (n > 1) {
      int half = n >>> 1;
      base += thresholds[base + half - 1] <= x ? half : 0;
      n -= half;
    }
    return base + (thresholds[base] <= x ? 1 : 0);
  }

  private static void walk(Group group, int[] ranks, int shift, int mask, float[] leaf) {
    int depth = group.depth;
    int size = (1 << (depth + 1)) - 1;
    int[] tree = group.slot;
    int[] blocks = group.blocks;
    int i = 0;
    // eight trees side by side: their walks do not wait for each other; a step goes to 2a + 1
    // (left) when the rank is below the split's, else to 2a + 2
    for (; i + 7 < tree.length; i += 8) {
      int b0 = i * size;
      int b1 = b0 + size;
      int b2 = b1 + size;
      int b3 = b2 + size;
      int b4 = b3 + size;
      int b5 = b4 + size;
      int b6 = b5 + size;
      int b7 = b6 + size;
      int a0 = 0;
      int a1 = 0;
      int a2 = 0;
      int a3 = 0;
      int a4 = 0;
      int a5 = 0;
      int a6 = 0;
      int a7 = 0;
      for (int level = 0; level < depth; level++) {
        int s0 = blocks[b0 + a0];
        int s1 = blocks[b1 + a1];
        int s2 = blocks[b2 + a2];
        int s3 = blocks[b3 + a3];
        int s4 = blocks[b4 + a4];
        int s5 = blocks[b5 + a5];
        int s6 = blocks[b6 + a6];
        int s7 = blocks[b7 + a7];
        a0 = 2 * a0 + 2 - ((ranks[s0 >>> shift] - (s0 & mask)) >>> 31);
        a1 = 2 * a1 + 2 - ((ranks[s1 >>> shift] - (s1 & mask)) >>> 31);
        a2 = 2 * a2 + 2 - ((ranks[s2 >>> shift] - (s2 & mask)) >>> 31);
        a3 = 2 * a3 + 2 - ((ranks[s3 >>> shift] - (s3 & mask)) >>> 31);
        a4 = 2 * a4 + 2 - ((ranks[s4 >>> shift] - (s4 & mask)) >>> 31);
        a5 = 2 * a5 + 2 - ((ranks[s5 >>> shift] - (s5 & mask)) >>> 31);
        a6 = 2 * a6 + 2 - ((ranks[s6 >>> shift] - (s6 & mask)) >>> 31);
        a7 = 2 * a7 + 2 - ((ranks[s7 >>> shift] - (s7 & mask)) >>> 31);
      }
      leaf[tree[i + 0]] = Float.intBitsToFloat(blocks[b0 + a0]);
      leaf[tree[i + 1]] = Float.intBitsToFloat(blocks[b1 + a1]);
      leaf[tree[i + 2]] = Float.intBitsToFloat(blocks[b2 + a2]);
      leaf[tree[i + 3]] = Float.intBitsToFloat(blocks[b3 + a3]);
      leaf[tree[i + 4]] = Float.intBitsToFloat(blocks[b4 + a4]);
      leaf[tree[i + 5]] = Float.intBitsToFloat(blocks[b5 + a5]);
      leaf[tree[i + 6]] = Float.intBitsToFloat(blocks[b6 + a6]);
      leaf[tree[i + 7]] = Float.intBitsToFloat(blocks[b7 + a7]);
    }
    for (; i < tree.length; i++) {
      int base = i * size;
      int at = 0;
      for (int level = 0; level < depth; level++) {
        int split = blocks[base + at];
        at = 2 * at + 2 - ((ranks[split >>> shift] - (split & mask)) >>> 31);
      }
      leaf[tree[i]] = Float.intBitsToFloat(blocks[base + at]);
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
