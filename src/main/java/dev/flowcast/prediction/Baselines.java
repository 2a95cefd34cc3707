package dev.flowcast.prediction;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines that are always reported beside the model, and answer when it is missing: global
 * frequency, per-user frequency, and first- and second-order Markov chains over actions (each
 * backing off to the next simpler one where it has seen nothing, add-one smoothed).
 */
final class Baselines {

  static final String FREQUENCY = "frequency";
  static final String USER_FREQUENCY = "userFrequency";
  static final String MARKOV1 = "markov1";
  static final String MARKOV2 = "markov2";

  private Baselines() {}

  /** Counts learnt from training sessions: what follows what, and how often. */
  static final class Counts {
    final Vocabulary vocabulary;
    final double[] global;
    final Map<Integer, double[]> afterOne = new HashMap<>();
    final Map<Long, double[]> afterTwo = new HashMap<>();
    final Map<String, double[]> perUser = new HashMap<>();

    Counts(Vocabulary vocabulary, List<Session> training) {
      this.vocabulary = vocabulary;
      int classes = vocabulary.classes();
      global = new double[classes];
      for (Session session : training) {
        double[] user = perUser.computeIfAbsent(session.user(), u -> new double[classes]);
        for (int i = 0; i <= session.length(); i++) {
          int next = i < session.length() ? vocabulary.indexOf(session.actions().get(i)) : vocabulary.end();
          if (i >= 1 && next < classes) {
            global[next]++;
            user[next]++;
            int previous = vocabulary.indexOf(session.actions().get(i - 1));
            afterOne.computeIfAbsent(previous, p -> new double[classes])[next]++;
            if (i >= 2) {
              int before = vocabulary.indexOf(session.actions().get(i - 2));
              afterTwo.computeIfAbsent(pair(before, previous), p -> new double[classes])[next]++;
            }
          }
        }
      }
    }
  }

  static SequencePredictor frequency(Counts counts) {
    double[] distribution = smoothed(counts.global, null);
    return predictor(FREQUENCY, prefix -> distribution);
  }

  /** What this user (the session's user) did most, falling back to everyone's habits. */
  static SequencePredictor userFrequency(Counts counts) {
    double[] global = smoothed(counts.global, null);
    return predictor(USER_FREQUENCY, prefix -> {
      double[] own = new double[counts.vocabulary.classes()];
      double[] history = counts.perUser.get(prefix.user());
      if (history != null) {
        add(own, history);
      }
      for (String action : prefix.actions()) {
        int index = counts.vocabulary.indexOf(action);
        if (index < own.length) {
          own[index]++;
        }
      }
      return smoothed(own, global);
    });
  }

  static SequencePredictor markov1(Counts counts) {
    double[] global = smoothed(counts.global, null);
    return predictor(MARKOV1, prefix -> markov1(counts, prefix, global));
  }

  static SequencePredictor markov2(Counts counts) {
    double[] global = smoothed(counts.global, null);
    return predictor(MARKOV2, prefix -> {
      int n = prefix.length();
      double[] first = markov1(counts, prefix, global);
      if (n < 2) {
        return first;
      }
      double[] seen = counts.afterTwo.get(pair(counts.vocabulary.indexOf(prefix.actions().get(n - 2)),
          counts.vocabulary.indexOf(prefix.actions().get(n - 1))));
      return seen == null ? first : smoothed(seen, first);
    });
  }

  private static double[] markov1(Counts counts, Session prefix, double[] global) {
    if (prefix.length() == 0) {
      return global;
    }
    double[] seen = counts.afterOne.get(counts.vocabulary.indexOf(prefix.actions().get(prefix.length() - 1)));
    return seen == null ? global : smoothed(seen, global);
  }

  /** Counts plus one pseudo-count spread by the prior (uniform when null), normalised. */
  static double[] smoothed(double[] counts, double[] prior) {
    double[] p = new double[counts.length];
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    for (int i = 0; i < p.length; i++) {
      double priorShare = prior == null ? 1.0 / p.length : prior[i];
      p[i] = (counts[i] + priorShare) / (total + 1);
    }
    return p;
  }

  private static void add(double[] into, double[] values) {
    for (int i = 0; i < into.length; i++) {
      into[i] += values[i];
    }
  }

  static long pair(int first, int second) {
    return ((long) first << 32) | (second & 0xffffffffL);
  }

  private interface Rule {
    double[] apply(Session prefix);
  }

  private static SequencePredictor predictor(String name, Rule rule) {
    return new SequencePredictor() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double[][] predict(List<Session> prefixes, List<Instant> at) {
        double[][] out = new double[prefixes.size()][];
        for (int i = 0; i < out.length; i++) {
          out[i] = rule.apply(prefixes.get(i));
        }
        return out;
      }
    };
  }
}
