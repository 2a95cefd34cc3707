package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The trained boosted intent model: XGBoost {@code multi:softprob} over "what does this session do
 * next" (an action, or the end), on {@link IntentFeatures}. It learns at most
 * {@link Settings#maxClasses()} actions; the others share one class, split among them by a Markov
 * chain ({@link ClassCap}). With {@link IntentFeatures.Group#MARKOV} it is the stacked model: the
 * Markov chains' predictions are among its features.
 */
final class IntentModel implements SequencePredictor, AutoCloseable {

  static final String NAME = "xgboost";
  static final String STACKED = "stacked";

  /**
   * Hyper-parameters; the defaults were chosen on the training part of the logs, never on a test
   * part. {@code rounds} is the most boosting rounds; early stopping on a held-out part of the
   * training sessions picks fewer ({@code patience} rounds without a better held-out loss).
   * Models stored before the class cap and feature groups existed have nulls there.
   */
  record Settings(int window, int rounds, int maxDepth, double eta, double minChildWeight, double subsample,
      int transitionWindow, Integer maxClasses, Integer patience, List<IntentFeatures.Group> features) {

    static final Settings DEFAULT = new Settings(3, 300, 5, 0.1, 2.0, 0.9, 50, 24, 15,
        List.copyOf(IntentFeatures.ORIGINAL));

    Set<IntentFeatures.Group> groups() {
      return features == null ? IntentFeatures.ORIGINAL : (features.isEmpty() ? Set.of() : Set.copyOf(features));
    }

    Settings stacked() {
      List<IntentFeatures.Group> with = new ArrayList<>(groups());
      with.add(IntentFeatures.Group.MARKOV);
      return withFeatures(with);
    }

    Settings withFeatures(List<IntentFeatures.Group> groups) {
      return new Settings(window, rounds, maxDepth, eta, minChildWeight, subsample, transitionWindow, maxClasses,
          patience, groups.stream().sorted().distinct().toList());
    }

    Settings withRounds(int fixedRounds) {
      return new Settings(window, fixedRounds, maxDepth, eta, minChildWeight, subsample, transitionWindow, maxClasses,
          patience, features);
    }
  }

  private final ClassCap cap;
  private final Settings settings;
  private final IntentFeatures features;
  private final XgbModel model;
  private final TransitionHistory transitions;
  /** Every session's past the model may read: recent transitions, and for the stacked model the chains' counts. */
  private final TransitionHistory.Source past;
  /** The stacked model's first- and second-order chains over {@link #past}; empty otherwise. */
  private final List<OnlineMarkov> chains;
  /** The booster's trees in Java: one prefix at a time (the request path) without a native call; null untrained. */
  private final TreeEnsemble trees;

  private IntentModel(ClassCap cap, Settings settings, XgbModel model, TransitionHistory.Source past) {
    this(cap, settings, model, past, model == null ? null : model.trees());
  }

  private IntentModel(ClassCap cap, Settings settings, XgbModel model, TransitionHistory.Source past,
      TreeEnsemble trees) {
    this.cap = cap;
    this.trees = trees;
    this.settings = settings;
    this.features = new IntentFeatures(cap.capped(), settings.window(), settings.groups());
    this.model = model;
    this.past = past;
    this.transitions = past.through(cap::apply).build(cap.capped(), settings.transitionWindow());
    // built once per past: a running system asks one prefix at a time
    this.chains = !stacked() ? List.of()
        : List.of(new OnlineMarkov(1, cap.full(), past.sessions()), new OnlineMarkov(2, cap.full(), past.sessions()));
  }

  /** The same model, reading another past (newer events, or the training part only). */
  IntentModel withHistory(TransitionHistory.Source history) {
    return new IntentModel(cap, settings, model, history, trees);
  }

  private boolean stacked() {
    return settings.groups().contains(IntentFeatures.Group.MARKOV);
  }

  /** Every prefix of every training session (length ≥ 1) with what came next. */
  static IntentModel train(List<Session> sessions, TransitionHistory.Source history, Settings settings, IntConsumer onRound) {
    return train(sessions, List.of(), history, settings, onRound);
  }

  /**
   * @param heldOut sessions whose prefixes stop boosting early (none: all {@code rounds})
   */
  static IntentModel train(List<Session> sessions, List<Session> heldOut, TransitionHistory.Source history,
      Settings settings, IntConsumer onRound) {
    return train(sessions, heldOut, history, settings, XgbModel.SEED, onRound);
  }

  /** @param seed the booster's random seed (row sampling): models of other seeds, for the ablation */
  static IntentModel train(List<Session> sessions, List<Session> heldOut, TransitionHistory.Source history,
      Settings settings, int seed, IntConsumer onRound) {
    ClassCap cap = ClassCap.of(sessions, settings.maxClasses() == null ? Integer.MAX_VALUE : settings.maxClasses());
    IntentModel untrained = new IntentModel(cap, settings, null, history);
    Rows training = untrained.rows(sessions);
    XgbModel.EarlyStopping stopping = null;
    if (!heldOut.isEmpty() && settings.patience() != null) {
      Rows held = untrained.rows(heldOut);
      stopping = new XgbModel.EarlyStopping(held.features(), held.labels(), settings.patience());
    }
    Map<String, Object> params = new HashMap<>(Map.of(
        "objective", "multi:softprob",
        "num_class", cap.capped().classes(),
        "max_depth", settings.maxDepth(),
        "eta", settings.eta(),
        "min_child_weight", settings.minChildWeight(),
        "subsample", settings.subsample(),
        "eval_metric", "mlogloss"));
    // histogram splits cost per bin, not per distinct value: training time stays bounded on big logs
    params.put("tree_method", "hist");
    params.put("seed", seed);
    XgbModel model = XgbModel.train(training.features(), training.labels(), null, params, settings.rounds(), stopping, onRound);
    return new IntentModel(cap, settings, model, history);
  }

  private record Rows(float[][] features, float[] labels) {}

  private Rows rows(List<Session> sessions) {
    Vocabulary vocabulary = cap.capped();
    List<Session> prefixes = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Session session : sessions) {
      Session capped = cap.apply(session);
      for (int length = 1; length <= session.length(); length++) {
        int next = length < session.length() ? vocabulary.indexOf(capped.actions().get(length)) : vocabulary.end();
        if (next <= vocabulary.end()) { // a held-out action training never saw has no class to learn
          prefixes.add(session.prefix(length));
          at.add(session.times().get(length - 1));
          labels.add(next);
        }
      }
    }
    float[] y = new float[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    return new Rows(encode(prefixes, at, null), y);
  }

  /**
   * Feature rows of a batch; the stacked model's chains count, like {@link OnlineMarkov}, only the
   * transitions that happened before each row's moment, so a training row never sees its answer.
   *
   * @param chainsOut filled with the second-order chain's distributions (full vocabulary) when not null
   */
  private float[][] encode(List<Session> prefixes, List<Instant> at, double[][][] chainsOut) {
    double[][] first = null;
    double[][] second = null;
    if (stacked() && !prefixes.isEmpty()) {
      // the chains see every action, rare ones included: what the cap hides from the booster they still know
      first = chains.get(0).predict(prefixes, at);
      second = chains.get(1).predict(prefixes, at);
      if (chainsOut != null) {
        chainsOut[0] = second;
      }
    }
    int classes = cap.capped().classes();
    float[][] rows = new float[prefixes.size()][];
    for (int i = 0; i < rows.length; i++) {
      double[] chains = null;
      if (first != null) {
        chains = new double[2 * classes];
        for (int c = 0; c < first[i].length; c++) {
          chains[cap.cappedIndex(c)] += first[i][c];
          chains[classes + cap.cappedIndex(c)] += second[i][c];
        }
      }
      rows[i] = features.encode(cap.apply(prefixes.get(i)), at.get(i), Double.NaN, transitions, chains);
    }
    return rows;
  }

  @Override
  public String name() {
    return stacked() ? STACKED : NAME;
  }

  @Override
  public double[][] predict(List<Session> prefixes, List<Instant> at) {
    double[][][] chains = new double[1][][];
    float[][] rows = encode(prefixes, at, chains);
    float[][] raw = rows.length == 1 ? new float[][] {trees.predict(rows[0])} : model.predict(rows);
    double[][] out = new double[raw.length][];
    for (int i = 0; i < raw.length; i++) {
      double[] p = new double[raw[i].length];
      double sum = 0;
      for (float v : raw[i]) {
        sum += v;
      }
      for (int c = 0; c < raw[i].length; c++) {
        p[c] = raw[i][c] / sum;
      }
      // the stacked model splits "other" by its second-order chain over every action
      out[i] = cap.caps() ? cap.expand(p, prefixes.get(i), chains[0] == null ? null : chains[0][i]) : p;
    }
    return out;
  }

  /** Every action the model answers about (learnt in its own class or not). */
  Vocabulary vocabulary() {
    return cap.full();
  }

  Settings settings() {
    return settings;
  }

  /** Rounds up to the lowest held-out loss. */
  int bestRounds() {
    return model.bestRounds();
  }

  List<String> featureNames() {
    return features.names();
  }

  byte[] bytes() {
    return model.bytes();
  }

  /**
   * What the native booster says for these prefixes, in the capped classes (the reference the tree
   * evaluator is checked against).
   */
  float[][] boosterOutput(List<Session> prefixes, List<Instant> at) {
    return model.predict(encode(prefixes, at, null));
  }

  /** What the tree evaluator says for these prefixes, one at a time, in the capped classes. */
  float[][] treeOutput(List<Session> prefixes, List<Instant> at) {
    float[][] rows = encode(prefixes, at, null);
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = trees.predict(rows[i]);
    }
    return out;
  }

  /** For the prediction benchmark: the rows, and the two evaluators of the same trees. */
  float[][] encodedRows(List<Session> prefixes, List<Instant> at) {
    return encode(prefixes, at, null);
  }

  TreeEnsemble treesForBenchmark() {
    return trees;
  }

  XgbModel boosterForBenchmark() {
    return model;
  }

  /** What {@link #load} needs besides the bytes, for the registry's description. */
  Map<String, Object> describe() {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("settings", settings);
    description.put("vocabulary", cap.full().actions());
    description.put("classes", cap.frequent());
    description.put("features", features.names());
    if (cap.caps()) {
      description.put("rareAfter", keyed(cap.rareAfter()));
    }
    return description;
  }

  /** A model from its description (older ones lack the cap and the Markov counts) and bytes. */
  @SuppressWarnings("unchecked")
  static IntentModel load(Map<String, Object> description, byte[] bytes, TransitionHistory.Source history,
      ObjectMapper json) {
    List<String> actions = (List<String>) description.get("vocabulary");
    Settings settings = json.convertValue(description.get("settings"), Settings.class);
    if (actions == null || settings == null) {
      throw new PredictionException("the model's description lacks its vocabulary or settings", null);
    }
    List<String> learnt = description.containsKey("classes") ? (List<String>) description.get("classes") : actions;
    Map<Integer, double[]> rareAfter = unkeyed(json, description.get("rareAfter"), actions.size() + 1);
    ClassCap cap = ClassCap.restore(actions, learnt, rareAfter);
    IntentFeatures features = new IntentFeatures(cap.capped(), settings.window(), settings.groups());
    return new IntentModel(cap, settings, XgbModel.load(bytes, features.width()), history);
  }

  /** Counts as {class: count}, zeros left out: most pairs of actions are never followed by most actions. */
  private static Map<Integer, Double> sparse(double[] row) {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (int c = 0; c < row.length; c++) {
      if (row[c] != 0) {
        out.put(c, row[c]);
      }
    }
    return out;
  }

  private static double[] dense(ObjectMapper json, Object sparse, int classes) {
    double[] row = new double[classes];
    Map<String, Double> entries = json.convertValue(sparse,
        json.getTypeFactory().constructMapType(Map.class, String.class, Double.class));
    entries.forEach((c, count) -> row[Integer.parseInt(c)] = count);
    return row;
  }

  private static Map<String, Map<Integer, Double>> keyed(Map<Integer, double[]> rows) {
    Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
    rows.forEach((key, row) -> out.put(String.valueOf(key), sparse(row)));
    return out;
  }

  private static Map<Integer, double[]> unkeyed(ObjectMapper json, Object value, int classes) {
    Map<Integer, double[]> out = new HashMap<>();
    if (value != null) {
      Map<String, Object> rows = json.convertValue(value, Map.class);
      rows.forEach((key, row) -> out.put(Integer.parseInt(key), dense(json, row, classes)));
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
