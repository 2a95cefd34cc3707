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
 * scored on the same predictions, in two settings:
 *
 * <ul>
 *   <li>as in the literature: the model, like the published models and the {@code markov1}/
 *       {@code markov2} baselines, knows the training part only (besides the prefix itself);
 *   <li>as deployed: the model reads what every session did before the moment of a prediction,
 *       test sessions included (never what came after), and so do {@code markov1Online}/
 *       {@code markov2Online}.
 * </ul>
 *
 * Inside the training part, {@link IntentSelection} chooses what the model is.
 */
public final class IntentEvaluation {

  /**
   * The scores of one predictor.
   *
   * @param top1 over every prediction, the end of a case included
   * @param top1WithoutEnds over the predictions where the case goes on: Tax et al.'s evaluation
   *     scripts score no prediction at a case's end (its ground truth is empty there), and a
   *     predicted end counts as wrong; the published accuracies are this figure
   */
  public record Scores(double top1, double top1WithoutEnds, double top3, double logLoss, double ece, double trainSeconds,
      double predictionsPerSecond) {}

  /** Which candidate the selection chose, by how much, and each candidate's top-1 on the validation sessions. */
  public record Selection(String winner, double margin, Map<String, Double> validationTop1) {}

  /**
   * What {@code evaluate} prints.
   *
   * @param model the model knowing the training part only: the figure comparable with the literature
   * @param modelDeployed the model reading every session's past, as a running system does
   * @param predictionsWithoutEnds the predictions where the case goes on (what {@link Scores#top1WithoutEnds} is over)
   */
  public record Report(int cases, int events, int activities, long predictions, long predictionsWithoutEnds,
      Scores model, Scores modelDeployed, Selection selection, Map<String, Scores> baselines) {}

  private IntentEvaluation() {}

  /** Progress steps of the training, for a progress bar. */
  public static int trainingSteps() {
    return IntentSelection.steps(IntentModel.Settings.DEFAULT);
  }

  public static Report run(List<ActivityEvent> events, IntConsumer onTrainingStep) {
    return run(events, IntentModel.Settings.DEFAULT, onTrainingStep);
  }

  static Report run(List<ActivityEvent> events, IntentModel.Settings settings, IntConsumer onTrainingStep) {
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
    Scores literature;
    Scores deployed;
    Selection selection;
    TransitionHistory.Source trainingPast = TransitionHistory.Source.of(training);
    // every session's past, train and test alike, each transition counted only once it happened
    TransitionHistory.Source allPast = TransitionHistory.Source.of(sessions);
    try (IntentSelection.Chosen model = IntentSelection.train(training, trainingPast, settings, onTrainingStep)) {
      double trainSeconds = (System.nanoTime() - started) / 1e9;
      literature = score(model, model.vocabulary(), prefixes, at, truths, trainSeconds);
      deployed = score(model.withHistory(allPast), model.vocabulary(), prefixes, at, truths, trainSeconds);
      selection = new Selection(model.winner(), model.margin(), model.validationTop1());
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
    for (int order = 1; order <= 2; order++) {
      long built = System.nanoTime();
      OnlineMarkov online = new OnlineMarkov(order, vocabulary, sessions);
      baselines.put(online.name(), score(online, vocabulary, prefixes, at, truths, (System.nanoTime() - built) / 1e9));
    }
    int activities = (int) events.stream().map(ActivityEvent::action).distinct().count();
    long withoutEnds = truths.stream().filter(truth -> !Vocabulary.END.equals(truth)).count();
    return new Report(sessions.size(), events.size(), activities, prefixes.size(), withoutEnds, literature, deployed,
        selection, baselines);
  }

  private static Scores score(SequencePredictor predictor, Vocabulary vocabulary, List<Session> prefixes,
      List<Instant> at, List<String> truths, double trainSeconds) {
    long started = System.nanoTime();
    double[][] predictions = predictor.predict(prefixes, at);
    double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    ClassificationMetrics metrics = new ClassificationMetrics();
    ClassificationMetrics withoutEnds = new ClassificationMetrics();
    for (int i = 0; i < predictions.length; i++) {
      String truth = truths.get(i);
      boolean end = Vocabulary.END.equals(truth);
      metrics.add(predictions[i], end ? vocabulary.end() : vocabulary.indexOf(truth));
      if (!end) {
        withoutEnds.add(predictions[i], vocabulary.indexOf(truth));
      }
    }
    return new Scores(metrics.top1(), withoutEnds.top1(), metrics.top3(), metrics.logLoss(),
        metrics.expectedCalibrationError(), trainSeconds, predictions.length / seconds);
  }
}
