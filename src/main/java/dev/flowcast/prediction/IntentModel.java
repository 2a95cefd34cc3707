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
  private final Baselines.Counts markov;

  private IntentModel(ClassCap cap, Settings settings, XgbModel model, TransitionHistory transitions,
      Baselines.Counts markov) {
    this.cap = cap;
    this.settings = settings;
    this.features = new IntentFeatures(cap.capped(), settings.window(), settings.groups());
    this.model = model;
    this.transitions = transitions;
    this.markov = markov;
  }

  /** The same model, reading recent transitions from other history (newer events, or a narrower past). */
  IntentModel withHistory(TransitionHistory.Source history) {
    return new IntentModel(cap, settings, model,
        history.through(cap::apply).build(cap.capped(), settings.transitionWindow()), markov);
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
    ClassCap cap = ClassCap.of(sessions, settings.maxClasses() == null ? Integer.MAX_VALUE : settings.maxClasses());
    TransitionHistory transitions = history.through(cap::apply).build(cap.capped(), settings.transitionWindow());
    // the chains see every action, rare ones included: what the cap hides from the booster they still know
    Baselines.Counts markov = settings.groups().contains(IntentFeatures.Group.MARKOV)
        ? new Baselines.Counts(cap.full(), sessions) : null;
    IntentModel untrained = new IntentModel(cap, settings, null, transitions, markov);
    Rows training = untrained.rows(sessions, markov == null ? null : outOfFold(cap.full(), sessions));
    XgbModel.EarlyStopping stopping = null;
    if (!heldOut.isEmpty() && settings.patience() != null) {
      Rows held = untrained.rows(heldOut, null);
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
    XgbModel model = XgbModel.train(training.features(), training.labels(), null, params, settings.rounds(), stopping, onRound);
    return new IntentModel(cap, settings, model, transitions, markov);
  }

  private record Rows(float[][] features, float[] labels) {}

  private static final int FOLDS = 5;

  /**
   * For the stacked model's training rows, the Markov counts of the other folds of sessions: a
   * row's features must not have seen its own answer. (Taking only the row's own transition out
   * of the counts is not enough: the answer is then the class whose count dropped, and the
   * booster learns exactly that.)
   */
  private static List<Baselines.Counts> outOfFold(Vocabulary vocabulary, List<Session> sessions) {
    List<Baselines.Counts> folds = new ArrayList<>();
    for (int fold = 0; fold < FOLDS; fold++) {
      List<Session> others = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        if (i % FOLDS != fold) {
          others.add(sessions.get(i));
        }
      }
      folds.add(new Baselines.Counts(vocabulary, others));
    }
    return folds;
  }

  /** @param folds the out-of-fold Markov counts for training rows of the stacked model; null otherwise */
  private Rows rows(List<Session> sessions, List<Baselines.Counts> folds) {
    Vocabulary vocabulary = cap.capped();
    List<float[]> rows = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    for (int s = 0; s < sessions.size(); s++) {
      Session original = sessions.get(s);
      Session session = cap.apply(original);
      Baselines.Counts counts = folds == null ? markov : folds.get(s % FOLDS);
      for (int length = 1; length <= session.length(); length++) {
        Session prefix = session.prefix(length);
        int next = length < session.length() ? vocabulary.indexOf(session.actions().get(length)) : vocabulary.end();
        if (next > vocabulary.end()) {
          continue; // a held-out action training never saw: no class to learn it as
        }
        rows.add(features.encode(prefix, prefix.times().get(length - 1), Double.NaN, transitions,
            markovFeatures(counts, original.prefix(length))));
        labels.add((float) next);
      }
    }
    float[] y = new float[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    return new Rows(rows.toArray(new float[0][]), y);
  }

  /**
   * The first- and second-order Markov chains' distributions for a prefix (its actions as they
   * were, rare ones included), side by side, each summed into the booster's classes.
   */
  private double[] markovFeatures(Baselines.Counts counts, Session prefix) {
    if (counts == null || prefix.length() == 0) {
      return null;
    }
    Vocabulary capped = cap.capped();
    int classes = capped.classes();
    double[] both = new double[2 * classes];
    List<SequencePredictor> chains = List.of(Baselines.markov1(counts), Baselines.markov2(counts));
    for (int order = 0; order < 2; order++) {
      double[] p = chains.get(order).predict(List.of(prefix), List.of(Instant.EPOCH))[0];
      for (int c = 0; c < p.length; c++) {
        both[order * classes + cap.cappedIndex(c)] += p[c];
      }
    }
    return both;
  }

  @Override
  public String name() {
    return markov == null ? NAME : STACKED;
  }

  @Override
  public double[][] predict(List<Session> prefixes, List<Instant> at) {
    float[][] rows = new float[prefixes.size()][];
    for (int i = 0; i < rows.length; i++) {
      Session capped = cap.apply(prefixes.get(i));
      rows[i] = features.encode(capped, at.get(i), Double.NaN, transitions, markovFeatures(markov, prefixes.get(i)));
    }
    float[][] raw = model.predict(rows);
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
      out[i] = cap.caps() ? cap.expand(p, prefixes.get(i)) : p;
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
    if (markov != null) {
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("global", sparse(markov.global));
      counts.put("afterOne", keyed(markov.afterOne));
      Map<String, Map<Integer, Double>> afterTwo = new LinkedHashMap<>();
      markov.afterTwo.forEach((pair, row) -> afterTwo.put((pair >> 32) + "," + (int) (long) pair, sparse(row)));
      counts.put("afterTwo", afterTwo);
      description.put("markov", counts);
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
    Baselines.Counts markov = null;
    if (description.get("markov") instanceof Map<?, ?> counts) {
      markov = new Baselines.Counts(cap.full(), List.of());
      int classes = cap.full().classes();
      System.arraycopy(dense(json, counts.get("global"), classes), 0, markov.global, 0, classes);
      markov.afterOne.putAll(unkeyed(json, counts.get("afterOne"), classes));
      Map<String, Object> afterTwo = json.convertValue(counts.get("afterTwo"), Map.class);
      for (Map.Entry<String, Object> entry : afterTwo.entrySet()) {
        String[] pair = entry.getKey().split(",");
        markov.afterTwo.put(Baselines.pair(Integer.parseInt(pair[0]), Integer.parseInt(pair[1])),
            dense(json, entry.getValue(), classes));
      }
    }
    IntentFeatures features = new IntentFeatures(cap.capped(), settings.window(), settings.groups());
    return new IntentModel(cap, settings, XgbModel.load(bytes, features.width()),
        history.through(cap::apply).build(cap.capped(), settings.transitionWindow()), markov);
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
