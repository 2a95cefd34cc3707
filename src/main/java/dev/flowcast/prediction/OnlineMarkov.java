package dev.flowcast.prediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * First- and second-order Markov chains that, like a running system, know every transition of
 * every session that happened before the moment of each prediction (train and test sessions
 * alike), not only those of a training part. A session's end counts once its last action has
 * happened. Smoothing and back-off are those of {@link Baselines}.
 */
final class OnlineMarkov implements SequencePredictor {

  static final String MARKOV1 = "markov1Online";
  static final String MARKOV2 = "markov2Online";

  private record Transition(long at, int before, int previous, int next) {}

  private final int order;
  private final Vocabulary vocabulary;
  private final List<Transition> transitions = new ArrayList<>();
  /** The counts of every transition, made once when first asked for. */
  private volatile Counts everything;

  OnlineMarkov(int order, Vocabulary vocabulary, List<Session> history) {
    this.order = order;
    this.vocabulary = vocabulary;
    for (Session session : history) {
      for (int i = 1; i <= session.length(); i++) {
        int next = i < session.length() ? vocabulary.indexOf(session.actions().get(i)) : vocabulary.end();
        if (next < vocabulary.classes()) {
          int before = i >= 2 ? vocabulary.indexOf(session.actions().get(i - 2)) : -1;
          long at = session.times().get(Math.min(i, session.length() - 1)).toEpochMilli();
          transitions.add(new Transition(at, before, vocabulary.indexOf(session.actions().get(i - 1)), next));
        }
      }
    }
    transitions.sort(Comparator.comparingLong(Transition::at));
  }

  @Override
  public String name() {
    return order == 1 ? MARKOV1 : MARKOV2;
  }

  /** Answers in time order, adding each transition to the counts once it has happened. */
  @Override
  public double[][] predict(List<Session> prefixes, List<Instant> at) {
    if (!transitions.isEmpty() && at.stream().allMatch(t -> t.toEpochMilli() > transitions.get(transitions.size() - 1).at())) {
      return afterEverything(prefixes);
    }
    return sweep(prefixes, at);
  }

  /** Every prediction after the last transition (a running system asking about now): one set of counts. */
  private double[][] afterEverything(List<Session> prefixes) {
    Counts all = everything;
    if (all == null) {
      all = new Counts(vocabulary.classes());
      for (Transition t : transitions) {
        all.add(t);
      }
      everything = all;
    }
    double[][] out = new double[prefixes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = answer(prefixes.get(i), all.global, all.afterOne, all.afterTwo);
    }
    return out;
  }

  private static final class Counts {
    final double[] global;
    final Map<Integer, double[]> afterOne = new HashMap<>();
    final Map<Long, double[]> afterTwo = new HashMap<>();
    final int classes;

    Counts(int classes) {
      this.classes = classes;
      this.global = new double[classes];
    }

    void add(Transition t) {
      global[t.next()]++;
      afterOne.computeIfAbsent(t.previous(), p -> new double[classes])[t.next()]++;
      if (t.before() >= 0) {
        afterTwo.computeIfAbsent(pair(t.before(), t.previous()), p -> new double[classes])[t.next()]++;
      }
    }
  }

  private double[][] sweep(List<Session> prefixes, List<Instant> at) {
    Integer[] byTime = new Integer[prefixes.size()];
    for (int i = 0; i < byTime.length; i++) {
      byTime[i] = i;
    }
    Arrays.sort(byTime, Comparator.comparing(at::get));
    Counts counts = new Counts(vocabulary.classes());
    double[][] out = new double[prefixes.size()][];
    int next = 0;
    for (int query : byTime) {
      long moment = at.get(query).toEpochMilli();
      while (next < transitions.size() && transitions.get(next).at() < moment) {
        counts.add(transitions.get(next++));
      }
      out[query] = answer(prefixes.get(query), counts.global, counts.afterOne, counts.afterTwo);
    }
    return out;
  }

  private double[] answer(Session prefix, double[] global, Map<Integer, double[]> afterOne, Map<Long, double[]> afterTwo) {
    double[] overall = Baselines.smoothed(global, null);
    int n = prefix.length();
    if (n == 0) {
      return overall;
    }
    int previous = vocabulary.indexOf(prefix.actions().get(n - 1));
    double[] seenOne = afterOne.get(previous);
    double[] first = seenOne == null ? overall : Baselines.smoothed(seenOne, overall);
    if (order == 1 || n < 2) {
      return first;
    }
    double[] seenTwo = afterTwo.get(pair(vocabulary.indexOf(prefix.actions().get(n - 2)), previous));
    return seenTwo == null ? first : Baselines.smoothed(seenTwo, first);
  }

  private static long pair(int first, int second) {
    return ((long) first << 32) | (second & 0xffffffffL);
  }
}
