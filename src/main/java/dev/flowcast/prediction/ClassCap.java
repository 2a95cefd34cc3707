package dev.flowcast.prediction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bounds what the boosted model learns whatever the vocabulary: the most frequent actions keep
 * their own class, every other action becomes {@link #OTHER}. XGBoost grows one tree per class
 * per round, so a log of 400 activities would otherwise cost 400 trees a round. The share the
 * model gives to "other" is split among the rare actions by a first-order Markov chain over them
 * (what followed the session's last action, among the rare actions only, in training).
 */
final class ClassCap {

  static final String OTHER = "<other>";

  private final Vocabulary full;
  private final Vocabulary capped;
  private final Set<String> frequent;
  /** Per last action (full index): counts of the rare actions that followed it; -1: any last action. */
  private final Map<Integer, double[]> rareAfter;
  private final double[] rarePrior;

  private ClassCap(Vocabulary full, List<String> frequent, Map<Integer, double[]> rareAfter) {
    this.full = full;
    this.frequent = Set.copyOf(frequent);
    List<String> cappedActions = new ArrayList<>(frequent);
    if (frequent.size() < full.actions().size()) {
      cappedActions.add(OTHER);
    }
    this.capped = new Vocabulary(cappedActions);
    this.rareAfter = rareAfter;
    this.rarePrior = caps() ? shares(rareAfter.get(-1), null) : null;
  }

  /** The {@code maxClasses} most frequent actions of the training sessions (ties by name) keep their class. */
  static ClassCap of(List<Session> training, int maxClasses) {
    Map<String, Integer> counts = new HashMap<>();
    training.forEach(s -> s.actions().forEach(a -> counts.merge(a, 1, Integer::sum)));
    Vocabulary full = new Vocabulary(counts.keySet());
    List<String> frequent = counts.keySet().stream()
        .sorted(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(Comparator.naturalOrder()))
        .limit(Math.max(1, maxClasses))
        .toList();
    Map<Integer, double[]> rareAfter = new HashMap<>();
    if (frequent.size() < full.actions().size()) {
      Set<String> kept = Set.copyOf(frequent);
      for (Session session : training) {
        for (int i = 0; i < session.length(); i++) {
          String next = session.actions().get(i);
          if (!kept.contains(next)) {
            int to = full.indexOf(next);
            int from = i == 0 ? -1 : full.indexOf(session.actions().get(i - 1));
            rareAfter.computeIfAbsent(from, f -> new double[full.classes()])[to]++;
            rareAfter.computeIfAbsent(-1, f -> new double[full.classes()])[to]++;
          }
        }
      }
    }
    return new ClassCap(full, frequent, rareAfter);
  }

  /** A stored cap: the full vocabulary, the actions that kept a class, the rare-action counts. */
  static ClassCap restore(List<String> actions, List<String> frequent, Map<Integer, double[]> rareAfter) {
    return new ClassCap(new Vocabulary(actions), frequent, rareAfter);
  }

  boolean caps() {
    return capped.actions().contains(OTHER);
  }

  /** Every action of training; the model's answers are over these and the end. */
  Vocabulary full() {
    return full;
  }

  /** The classes the booster learns: the frequent actions, "other" when some were capped, the end. */
  Vocabulary capped() {
    return capped;
  }

  List<String> frequent() {
    return capped.actions().stream().filter(a -> !a.equals(OTHER)).toList();
  }

  Map<Integer, double[]> rareAfter() {
    return rareAfter;
  }

  /** The booster's class for a class of the full vocabulary (a rare action's is "other"). */
  int cappedIndex(int fullClass) {
    if (fullClass == full.end()) {
      return capped.end();
    }
    String action = full.actions().get(fullClass);
    return capped.indexOf(frequent.contains(action) ? action : OTHER);
  }

  /** The session as the booster sees it: rare (and unseen) actions renamed {@link #OTHER}. */
  Session apply(Session session) {
    if (!caps()) {
      return session;
    }
    return new Session(session.id(), session.user(),
        session.actions().stream().map(a -> frequent.contains(a) ? a : OTHER).toList(), session.times());
  }

  /** A distribution over the capped classes, spread over the full vocabulary. */
  double[] expand(double[] cappedDistribution, Session prefix) {
    return expand(cappedDistribution, prefix, null);
  }

  /**
   * @param chain a Markov chain's distribution over the full vocabulary for the prefix, to split
   *     "other" by (its rare actions, renormalised); null: the first-order chain over rare actions
   */
  double[] expand(double[] cappedDistribution, Session prefix, double[] chain) {
    double[] out = new double[full.classes()];
    for (String action : frequent) {
      out[full.indexOf(action)] = cappedDistribution[capped.indexOf(action)];
    }
    out[full.end()] = cappedDistribution[capped.end()];
    if (caps()) {
      double other = cappedDistribution[capped.indexOf(OTHER)];
      double[] rare = chain == null ? rareShares(prefix) : rareOnly(chain);
      for (int c = 0; c < rare.length; c++) {
        out[c] += other * rare[c];
      }
    }
    return out;
  }

  private double[] rareOnly(double[] chain) {
    double[] rare = new double[full.classes()];
    double total = 0;
    for (int c = 0; c < full.actions().size(); c++) {
      if (!frequent.contains(full.actions().get(c))) {
        rare[c] = chain[c];
        total += chain[c];
      }
    }
    for (int c = 0; c < rare.length; c++) {
      rare[c] = total > 0 ? rare[c] / total : 0;
    }
    return total > 0 ? rare : rarePrior;
  }

  /** Which rare action follows the prefix's last one, add-one smoothed toward all rare actions. */
  private double[] rareShares(Session prefix) {
    double[] prior = rarePrior;
    int last = prefix.length() == 0 ? -1 : full.indexOf(prefix.actions().get(prefix.length() - 1));
    double[] seen = rareAfter.get(last);
    return seen == null || last == -1 ? prior : shares(seen, prior);
  }

  private double[] shares(double[] counts, double[] prior) {
    double[] p = new double[full.classes()];
    int rareCount = full.actions().size() - frequent.size();
    double total = 0;
    for (int c = 0; c < full.actions().size(); c++) {
      if (!frequent.contains(full.actions().get(c))) {
        total += counts == null ? 0 : counts[c];
      }
    }
    for (int c = 0; c < full.actions().size(); c++) {
      if (!frequent.contains(full.actions().get(c))) {
        double priorShare = prior == null ? 1.0 / rareCount : prior[c];
        p[c] = ((counts == null ? 0 : counts[c]) + priorShare) / (total + 1);
      }
    }
    return p;
  }
}
