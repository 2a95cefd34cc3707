package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the intent model from the activity log (the engine's own history of composed starts
 * included: it is captured into the log), choosing between the boosted models and the Markov
 * chains inside the training sessions ({@link IntentSelection}), checks it on the newest fifth of
 * the sessions against the first-order Markov baseline, and stores it in the registry with the
 * choice and those figures.
 */
public class IntentTrainer {

  public static final String KIND = "intent";
  private static final Logger log = LoggerFactory.getLogger(IntentTrainer.class);

  /** Training was refused; the message says why (e.g. too little activity). */
  public static class NotEnoughDataException extends RuntimeException {
    NotEnoughDataException(String message) {
      super(message);
    }
  }

  private final ActivityLog activity;
  private final ModelRegistry registry;
  private final FlowcastProperties.Prediction settings;
  private final Clock clock;

  public IntentTrainer(ActivityLog activity, ModelRegistry registry, FlowcastProperties.Prediction settings, Clock clock) {
    this.activity = activity;
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
  }

  /** Progress steps of {@link #train}, for a progress bar. */
  public static int steps() {
    return IntentSelection.steps(IntentModel.Settings.DEFAULT);
  }

  public synchronized ModelRegistry.StoredModel train(IntConsumer onRound) {
    Instant to = clock.instant();
    Instant from = to.minus(settings.trainingWindow());
    List<ActivityEvent> events = activity.since(from, settings.maximumTrainingEvents());
    if (events.size() < settings.minimumEvents()) {
      throw new NotEnoughDataException("only " + events.size() + " activity events since " + from
          + "; training needs at least " + settings.minimumEvents());
    }
    List<Session> sessions = Sessions.of(events, settings.sessionGap());
    if (events.stream().map(ActivityEvent::action).distinct().count() < 2) {
      throw new NotEnoughDataException("the activity since " + from + " has fewer than two distinct actions");
    }
    int split = Math.max(1, (int) Math.round(sessions.size() * 0.8));
    List<Session> training = sessions.subList(0, Math.min(split, sessions.size()));
    List<Session> holdout = sessions.subList(Math.min(split, sessions.size()), sessions.size());
    TransitionHistory.Source history = TransitionHistory.Source.of(sessions);
    long started = System.nanoTime();
    try (IntentSelection.Chosen model = IntentSelection.train(training, history, IntentModel.Settings.DEFAULT, onRound)) {
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Object> metrics = holdoutMetrics(model, training, holdout);
      metrics.put("trainSeconds", seconds);
      Map<String, Object> description = new LinkedHashMap<>();
      if (model.boosted() != null) {
        description.putAll(model.boosted().describe());
      } else {
        description.put("vocabulary", model.vocabulary().actions());
      }
      description.put("selection", Map.of("winner", model.winner(), "margin", model.margin(),
          "validationTop1", model.validationTop1()));
      description.put("sessions", Map.of("training", training.size(), "holdout", holdout.size()));
      description.put("metrics", metrics);
      long rows = training.stream().mapToLong(Session::length).sum();
      byte[] bytes = model.boosted() == null ? new byte[0] : model.boosted().bytes();
      ModelRegistry.StoredModel stored = registry.save(KIND, from, to, rows, description, bytes);
      log.info("FLOWCAST-050 intent model v{} ({}, ahead by {} on validation) trained on {} events in {} s;"
              + " holdout top-1 {} (markov1 {})", stored.version(), model.winner(), String.format(Locale.ROOT, "%.4f", model.margin()),
          rows, String.format(Locale.ROOT, "%.2f", seconds), metrics.get("top1"), metrics.get("markov1Top1"));
      return stored;
    }
  }

  private static Map<String, Object> holdoutMetrics(SequencePredictor model, List<Session> training, List<Session> holdout) {
    Vocabulary vocabulary = Vocabulary.of(training);
    ClassificationMetrics ours = new ClassificationMetrics();
    ClassificationMetrics markov = new ClassificationMetrics();
    SequencePredictor baseline = Baselines.markov1(new Baselines.Counts(vocabulary, training));
    List<Session> prefixes = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    List<Integer> truths = new ArrayList<>();
    for (Session session : holdout) {
      for (int length = 1; length <= session.length(); length++) {
        prefixes.add(session.prefix(length));
        at.add(session.times().get(length - 1));
        truths.add(length < session.length() ? vocabulary.indexOf(session.actions().get(length)) : vocabulary.end());
      }
    }
    // in one call each: the Markov chains answer a batch in one pass over the history
    double[][] predicted = model.predict(prefixes, at);
    double[][] markovPredicted = baseline.predict(prefixes, at);
    for (int i = 0; i < predicted.length; i++) {
      ours.add(predicted[i], truths.get(i));
      markov.add(markovPredicted[i], truths.get(i));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("holdoutPredictions", ours.count());
    metrics.put("top1", ours.top1());
    metrics.put("top3", ours.top3());
    metrics.put("logLoss", ours.logLoss());
    metrics.put("ece", ours.expectedCalibrationError());
    metrics.put("markov1Top1", markov.top1());
    return metrics;
  }
}
