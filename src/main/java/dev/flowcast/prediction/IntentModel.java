package dev.flowcast.prediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The trained intent model: XGBoost {@code multi:softprob} over "what does this session do next"
 * (an action of the vocabulary, or the end), on {@link IntentFeatures}.
 */
final class IntentModel implements SequencePredictor, AutoCloseable {

  static final String NAME = "xgboost";

  /** Hyper-parameters; the defaults were chosen once on the training part of one log, never on a test part. */
  record Settings(int window, int rounds, int maxDepth, double eta, double minChildWeight, double subsample, int transitionWindow) {
    static final Settings DEFAULT = new Settings(3, 100, 4, 0.08, 2.0, 0.9, 200);
  }

  private final Vocabulary vocabulary;
  private final IntentFeatures features;
  private final XgbModel model;
  private final Settings settings;
  private final TransitionHistory transitions;
  /** The booster's trees in Java: one prefix at a time (the request path) without a native call. */
  private final TreeEnsemble trees;

  private IntentModel(Vocabulary vocabulary, Settings settings, XgbModel model, TransitionHistory transitions) {
    this(vocabulary, settings, model, transitions, model.trees());
  }

  private IntentModel(Vocabulary vocabulary, Settings settings, XgbModel model, TransitionHistory transitions,
      TreeEnsemble trees) {
    this.trees = trees;
    this.vocabulary = vocabulary;
    this.settings = settings;
    this.features = new IntentFeatures(vocabulary, settings.window());
    this.model = model;
    this.transitions = transitions;
  }

  /** The same model, reading recent transitions from newer history (after more events arrived). */
  IntentModel withHistory(TransitionHistory.Source history) {
    return new IntentModel(vocabulary, settings, model, history.build(vocabulary, settings.transitionWindow()), trees);
  }

  /** Every prefix of every training session (length ≥ 1) with what came next. */
  static IntentModel train(List<Session> sessions, TransitionHistory.Source history, Settings settings, IntConsumer onRound) {
    Vocabulary vocabulary = Vocabulary.of(sessions);
    IntentFeatures features = new IntentFeatures(vocabulary, settings.window());
    TransitionHistory transitions = history.build(vocabulary, settings.transitionWindow());
    List<float[]> rows = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    for (Session session : sessions) {
      for (int length = 1; length <= session.length(); length++) {
        Session prefix = session.prefix(length);
        rows.add(features.encode(prefix, prefix.times().get(length - 1), Double.NaN, transitions));
        labels.add((float) (length < session.length() ? vocabulary.indexOf(session.actions().get(length)) : vocabulary.end()));
      }
    }
    float[] y = new float[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    Map<String, Object> params = Map.of(
        "objective", "multi:softprob",
        "num_class", vocabulary.classes(),
        "max_depth", settings.maxDepth(),
        "eta", settings.eta(),
        "min_child_weight", settings.minChildWeight(),
        "subsample", settings.subsample(),
        "eval_metric", "mlogloss");
    XgbModel model = XgbModel.train(rows.toArray(new float[0][]), y, null, params, settings.rounds(), onRound);
    return new IntentModel(vocabulary, settings, model, transitions);
  }

  static IntentModel load(List<String> actions, Settings settings, byte[] bytes, TransitionHistory.Source history) {
    Vocabulary vocabulary = new Vocabulary(actions);
    return new IntentModel(vocabulary, settings,
        XgbModel.load(bytes, new IntentFeatures(vocabulary, settings.window()).width()),
        history.build(vocabulary, settings.transitionWindow()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[][] predict(List<Session> prefixes, List<Instant> at) {
    float[][] rows = encode(prefixes, at);
    float[][] raw = rows.length == 1 ? new float[][] {trees.predict(rows[0])} : model.predict(rows);
    double[][] out = new double[raw.length][];
    for (int i = 0; i < raw.length; i++) {
      out[i] = new double[raw[i].length];
      double sum = 0;
      for (float p : raw[i]) {
        sum += p;
      }
      for (int c = 0; c < raw[i].length; c++) {
        out[i][c] = raw[i][c] / sum;
      }
    }
    return out;
  }

  Vocabulary vocabulary() {
    return vocabulary;
  }

  Settings settings() {
    return settings;
  }

  List<String> featureNames() {
    return features.names();
  }

  byte[] bytes() {
    return model.bytes();
  }

  /** What the native booster says for these prefixes (the reference the tree evaluator is checked against). */
  float[][] boosterOutput(List<Session> prefixes, List<Instant> at) {
    return model.predict(encode(prefixes, at));
  }

  /** What the tree evaluator says for these prefixes, one at a time. */
  float[][] treeOutput(List<Session> prefixes, List<Instant> at) {
    float[][] rows = encode(prefixes, at);
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = trees.predict(rows[i]);
    }
    return out;
  }

  /** For the prediction benchmark: the rows, and the two evaluators of the same trees. */
  float[][] encodedRows(List<Session> prefixes, List<Instant> at) {
    return encode(prefixes, at);
  }

  TreeEnsemble treesForBenchmark() {
    return trees;
  }

  XgbModel boosterForBenchmark() {
    return model;
  }

  private float[][] encode(List<Session> prefixes, List<Instant> at) {
    float[][] rows = new float[prefixes.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = features.encode(prefixes.get(i), at.get(i), Double.NaN, transitions);
    }
    return rows;
  }

  @Override
  public void close() {
    model.close();
  }
}
