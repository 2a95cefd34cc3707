package dev.flowcast.prediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Decides per log what answers: the boosted model, the stacked model (Markov predictions among
 * its features) or the better Markov chain. The training sessions are split in time order: the
 * candidates learn from the older 80 % and are scored on the newer 20 % (prefixes of length ≥ 2,
 * as the evaluation scores them), where the boosted ones also stop early. The winner needs a
 * strictly better top-1 than every simpler candidate; the boosted winner is then trained again on
 * all training sessions with the rounds early stopping found. The Markov chains are scored as
 * they would run: knowing every transition that happened before each moment.
 */
final class IntentSelection {

  static final double VALIDATION_SHARE = 0.2;
  private static final int MINIMUM_VALIDATION_SESSIONS = 5;

  private IntentSelection() {}

  /** Progress steps of {@link #train}: the rounds of two candidates and of the final training. */
  static int steps(IntentModel.Settings settings) {
    return 3 * settings.rounds();
  }

  /** What answers, which candidate won, and each candidate's top-1 on the validation sessions. */
  static final class Chosen implements SequencePredictor, AutoCloseable {

    private final String winner;
    private final Map<String, Double> validationTop1;
    private final IntentModel boosted;
    private final Vocabulary vocabulary;
    private final List<Session> training;
    /** Every session's past, for a chain that learns as it runs; null: the chain learnt from the training sessions. */
    private final TransitionHistory.Source online;

    Chosen(String winner, Map<String, Double> validationTop1, IntentModel boosted, Vocabulary vocabulary,
        List<Session> training, TransitionHistory.Source online) {
      this.winner = winner;
      this.validationTop1 = Map.copyOf(validationTop1);
      this.boosted = boosted;
      this.vocabulary = vocabulary;
      this.training = training;
      this.online = online;
    }

    /**
     * The same choice, knowing every session's past up to each prediction, as a running system
     * does: the boosted model reads recent transitions from it, a chain counts it.
     */
    Chosen withHistory(TransitionHistory.Source past) {
      return new Chosen(winner, validationTop1, boosted == null ? null : boosted.withHistory(past), vocabulary,
          training, past);
    }

    @Override
    public String name() {
      return winner;
    }

    @Override
    public double[][] predict(List<Session> prefixes, List<Instant> at) {
      if (boosted != null) {
        return boosted.predict(prefixes, at);
      }
      int order = winner.equals(OnlineMarkov.MARKOV1) ? 1 : 2;
      if (online != null) {
        return new OnlineMarkov(order, vocabulary, online.sessions()).predict(prefixes, at);
      }
      Baselines.Counts counts = new Baselines.Counts(vocabulary, training);
      return (order == 1 ? Baselines.markov1(counts) : Baselines.markov2(counts)).predict(prefixes, at);
    }

    String winner() {
      return winner;
    }

    /** Top-1 on the validation sessions, per candidate, in the order they were tried. */
    Map<String, Double> validationTop1() {
      Map<String, Double> ordered = new LinkedHashMap<>();
      for (String name : List.of(OnlineMarkov.MARKOV1, OnlineMarkov.MARKOV2, IntentModel.NAME, IntentModel.STACKED)) {
        if (validationTop1.containsKey(name)) {
          ordered.put(name, validationTop1.get(name));
        }
      }
      return ordered;
    }

    /**
     * How far the winner is ahead of the best candidate of the other kind on the validation
     * sessions: a boosted winner of the better chain, a chain of the better boosted model.
     */
    double margin() {
      double best = validationTop1.getOrDefault(winner, 0.0);
      boolean chainWon = isChain(winner);
      double other = validationTop1.entrySet().stream().filter(e -> isChain(e.getKey()) != chainWon)
          .mapToDouble(Map.Entry::getValue).max().orElse(best);
      return best - other;
    }

    private static boolean isChain(String name) {
      return name.equals(OnlineMarkov.MARKOV1) || name.equals(OnlineMarkov.MARKOV2);
    }

    /** The boosted model when one won; null when a Markov chain (of the training sessions, or online) answers. */
    IntentModel boosted() {
      return boosted;
    }

    Vocabulary vocabulary() {
      return vocabulary;
    }

    @Override
    public void close() {
      if (boosted != null) {
        boosted.close();
      }
    }
  }

  /**
   * @param history the sessions whose past the models may read (at least the training sessions)
   * @param onStep progress, up to {@link #steps}; it reaches the end only when training has ended
   */
  static Chosen train(List<Session> training, TransitionHistory.Source history, IntentModel.Settings settings,
      IntConsumer onStep) {
    List<Session> byStart = new ArrayList<>(training);
    byStart.sort(Comparator.comparing(s -> s.times().get(0)));
    int validationSessions = (int) Math.round(byStart.size() * VALIDATION_SHARE);
    int rounds = settings.rounds();
    if (validationSessions < MINIMUM_VALIDATION_SESSIONS) {
      IntentModel only = IntentModel.train(training, history, settings, r -> onStep.accept(2 * rounds + r));
      onStep.accept(steps(settings));
      return new Chosen(IntentModel.NAME, Map.of(), only, only.vocabulary(), training, null);
    }
    List<Session> fit = byStart.subList(0, byStart.size() - validationSessions);
    List<Session> validation = byStart.subList(byStart.size() - validationSessions, byStart.size());
    Validation check = new Validation(validation);

    Map<String, Double> top1 = new LinkedHashMap<>();
    Vocabulary vocabulary = Vocabulary.of(fit);
    for (int order = 1; order <= 2; order++) {
      OnlineMarkov markov = new OnlineMarkov(order, vocabulary, history.sessions());
      top1.put(markov.name(), check.top1(markov, vocabulary));
    }
    Map<String, Integer> bestRounds = new LinkedHashMap<>();
    int phase = 0;
    for (IntentModel.Settings candidate : List.of(settings, settings.stacked())) {
      int offset = phase++ * rounds;
      try (IntentModel model = IntentModel.train(fit, validation, history, candidate, r -> onStep.accept(offset + r))) {
        top1.put(model.name(), check.top1(model, model.vocabulary()));
        bestRounds.put(model.name(), model.bestRounds());
      }
      onStep.accept(offset + rounds);
    }
    String winner = OnlineMarkov.MARKOV1;
    for (Map.Entry<String, Double> candidate : top1.entrySet()) {
      if (candidate.getValue() > top1.get(winner)) {
        winner = candidate.getKey();
      }
    }
    IntentModel boosted = null;
    if (bestRounds.containsKey(winner)) {
      IntentModel.Settings chosen = (winner.equals(IntentModel.STACKED) ? settings.stacked() : settings)
          .withRounds(bestRounds.get(winner));
      boosted = IntentModel.train(training, history, chosen, r -> onStep.accept(2 * rounds + r));
    }
    onStep.accept(steps(settings));
    return new Chosen(winner, top1, boosted, boosted == null ? Vocabulary.of(training) : boosted.vocabulary(), training, null);
  }

  /** The validation prefixes, scored like the evaluation scores its test part. */
  static final class Validation {
    private final List<Session> prefixes = new ArrayList<>();
    private final List<Instant> at = new ArrayList<>();
    private final List<String> truths = new ArrayList<>();

    Validation(List<Session> sessions) {
      for (Session session : sessions) {
        for (int length = 2; length <= session.length(); length++) {
          prefixes.add(session.prefix(length));
          at.add(session.times().get(length - 1));
          truths.add(length < session.length() ? session.actions().get(length) : Vocabulary.END);
        }
      }
    }

    double top1(SequencePredictor predictor, Vocabulary vocabulary) {
      if (prefixes.isEmpty()) {
        return 0;
      }
      return top1(predictor.predict(prefixes, at), vocabulary);
    }

    /** Each validation prefix's distribution, to be mixed or averaged before {@link #top1(double[][], Vocabulary)}. */
    double[][] predictions(SequencePredictor predictor) {
      return predictor.predict(prefixes, at);
    }

    /** Top-1 of distributions given in the order of {@link #predictions}. */
    double top1(double[][] predictions, Vocabulary vocabulary) {
      if (prefixes.isEmpty()) {
        return 0;
      }
      ClassificationMetrics metrics = new ClassificationMetrics();
      for (int i = 0; i < predictions.length; i++) {
        String truth = truths.get(i);
        metrics.add(predictions[i], Vocabulary.END.equals(truth) ? vocabulary.end() : vocabulary.indexOf(truth));
      }
      return metrics.top1();
    }
  }
}
