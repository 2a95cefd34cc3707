package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Next-action evaluation following Tax et al. (2017): sessions in file order, the first 2/3
 * train, the last 1/3 test; for every test session and every prefix of length ≥ 2, predict what
 * comes next (the next action, or the end after the last one). The model and every baseline are
 * scored on the same predictions. Like a running system, the model may look at what every session
 * did before the moment of a prediction (recent transitions), never at what came after.
 */
public final class IntentEvaluation {

  /** The scores of one predictor. */
  public record Scores(double top1, double top3, double logLoss, double ece, double trainSeconds, double predictionsPerSecond) {}

  /** What {@code evaluate} prints. */
  public record Report(int cases, int events, int activities, long predictions, Scores model, Map<String, Scores> baselines) {}

  private IntentEvaluation() {}

  /** Boosting rounds of the default settings, for a progress bar. */
  public static int defaultRounds() {
    return IntentModel.Settings.DEFAULT.rounds();
  }

  public static Report run(List<ActivityEvent> events, IntConsumer onTrainingRound) {
    return run(events, IntentModel.Settings.DEFAULT, onTrainingRound);
  }

  static Report run(List<ActivityEvent> events, IntentModel.Settings settings, IntConsumer onTrainingRound) {
    List<Session> sessions = Session.of(events);
    int split = (int) Math.round(sessions.size() * 2.0 / 3.0);
    List<Session> training = sessions.subList(0, split);
    List<Session> test = sessions.subList(split, sessions.size());

    List<Session> prefixes = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    List<String> truths = new ArrayList<>();
    for (Session session : test) {
      for (int length = 2; length <= session.length(); length++) {
        prefixes.add(session.prefix(length));
        at.add(session.times().get(length - 1));
        truths.add(length < session.length() ? session.actions().get(length) : Vocabulary.END);
      }
    }

    long started = System.nanoTime();
    Scores modelScores;
    // Recent transitions of all sessions, train and test alike, each counted only once it happened.
    TransitionHistory.Source history = TransitionHistory.Source.of(sessions);
    try (IntentModel model = IntentModel.train(training, history, settings, onTrainingRound)) {
      double trainSeconds = (System.nanoTime() - started) / 1e9;
      modelScores = score(model, model.vocabulary(), prefixes, at, truths, trainSeconds);
    }
    Vocabulary vocabulary = Vocabulary.of(training);
    long countStart = System.nanoTime();
    Baselines.Counts counts = new Baselines.Counts(vocabulary, training);
    double countSeconds = (System.nanoTime() - countStart) / 1e9;
    Map<String, Scores> baselines = new LinkedHashMap<>();
    for (SequencePredictor baseline : List.of(Baselines.frequency(counts), Baselines.userFrequency(counts),
        Baselines.markov1(counts), Baselines.markov2(counts))) {
      baselines.put(baseline.name(), score(baseline, vocabulary, prefixes, at, truths, countSeconds));
    }
    int activities = (int) events.stream().map(ActivityEvent::action).distinct().count();
    return new Report(sessions.size(), events.size(), activities, prefixes.size(), modelScores, baselines);
  }

  private static Scores score(SequencePredictor predictor, Vocabulary vocabulary, List<Session> prefixes,
      List<Instant> at, List<String> truths, double trainSeconds) {
    long started = System.nanoTime();
    double[][] predictions = predictor.predict(prefixes, at);
    double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    ClassificationMetrics metrics = new ClassificationMetrics();
    for (int i = 0; i < predictions.length; i++) {
      String truth = truths.get(i);
      metrics.add(predictions[i], Vocabulary.END.equals(truth) ? vocabulary.end() : vocabulary.indexOf(truth));
    }
    return new Scores(metrics.top1(), metrics.top3(), metrics.logLoss(), metrics.expectedCalibrationError(),
        trainSeconds, predictions.length / seconds);
  }
}
