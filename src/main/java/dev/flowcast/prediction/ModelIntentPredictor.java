package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default predictor: the newest trained intent model in the registry, asked about the user's
 * current session; the first-order Markov baseline over the activity log when there is no model
 * yet, when it cannot be loaded, or when it knows none of the intents; the engine's history of the
 * user's starts when there is no activity at all. Each answer says which one spoke. Answers are
 * cached per user for a short time and forgotten when new activity of the user arrives.
 */
class ModelIntentPredictor implements IntentPredictor {

  private static final Logger log = LoggerFactory.getLogger(ModelIntentPredictor.class);
  private static final int RECENT_EVENTS = 50;
  private static final int HISTORY_EVENTS = 50_000;

  /** The model in force, with the recent activity its context features read. */
  private record Loaded(ModelRegistry.StoredModel stored, IntentModel model, Baselines.Counts counts, String problem) {}

  private record Cached(IntentPrediction prediction, Instant at, Set<String> intents) {}

  private final ModelRegistry registry;
  private final ActivityLog activity;
  private final IntentPredictor lastResort;
  private final FlowcastProperties.Prediction settings;
  private final ObjectMapper json;
  private final Clock clock;
  private final AtomicReference<Loaded> loaded = new AtomicReference<>(new Loaded(null, null, null, "not loaded yet"));
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  ModelIntentPredictor(ModelRegistry registry, ActivityLog activity, IntentPredictor lastResort,
      FlowcastProperties.Prediction settings, ObjectMapper json, Clock clock) {
    this.registry = registry;
    this.activity = activity;
    this.lastResort = lastResort;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
  }

  /** Loads the newest model if it is newer than the one in force, and rebuilds the context. */
  @Override
  public synchronized void reload() {
    Loaded current = loaded.get();
    List<ActivityEvent> recent = activity.since(clock.instant().minus(Duration.ofDays(1)), HISTORY_EVENTS);
    List<Session> sessions = Sessions.of(recent, settings.sessionGap());
    ModelRegistry.StoredModel newest = registry.newest(IntentTrainer.KIND).orElse(null);
    IntentModel model = current.model();
    ModelRegistry.StoredModel stored = current.stored();
    String problem = newest == null ? "no trained model" : null;
    if (newest != null && (stored == null || newest.version() != stored.version())) {
      try {
        IntentModel fresh = load(newest, sessions);
        if (model != null) {
          model.close();
        }
        model = fresh;
        stored = newest;
        if (fresh == null) {
          problem = "model v" + newest.version() + " chose " + winner(newest) + " over the boosted models";
        }
        log.info("FLOWCAST-051 intent model v{} loaded ({})", newest.version(), winner(newest));
      } catch (PredictionException | IllegalArgumentException e) {
        problem = "model v" + newest.version() + " cannot be loaded: " + e.getMessage();
        log.error("FLOWCAST-052 {}; a baseline answers", problem);
        if (model != null && stored != null) {
          problem = null; // the previous model keeps answering
        }
      }
    } else if (model != null) {
      model = model.withHistory(TransitionHistory.Source.of(sessions));
    } else if (stored != null) {
      problem = current.problem();
    }
    Vocabulary vocabulary = model != null ? model.vocabulary() : Vocabulary.of(sessions);
    loaded.set(new Loaded(stored, model, new Baselines.Counts(vocabulary, sessions), problem));
    cache.clear();
  }

  private IntentModel load(ModelRegistry.StoredModel stored, List<Session> sessions) {
    if (!Set.of(IntentModel.NAME, IntentModel.STACKED).contains(winner(stored))) {
      return null; // a Markov chain won the selection: it answers from the activity log
    }
    return IntentModel.load(stored.description(), registry.bytes(stored.id()), TransitionHistory.Source.of(sessions), json);
  }

  /** What won the stored model's selection; models stored before selection existed are boosted. */
  private static String winner(ModelRegistry.StoredModel stored) {
    return stored.description().get("selection") instanceof Map<?, ?> selection
        ? String.valueOf(selection.get("winner")) : IntentModel.NAME;
  }

  @Override
  public void forget(String user) {
    cache.remove(user);
  }

  @Override
  public IntentPrediction predict(String user, Set<String> intents, Instant now) {
    Cached cached = cache.get(user);
    if (cached != null && cached.intents().equals(intents) && cached.at().plus(settings.cacheTtl()).isAfter(now)) {
      return cached.prediction();
    }
    IntentPrediction prediction = compute(user, intents, now);
    cache.put(user, new Cached(prediction, now, Set.copyOf(intents)));
    return prediction;
  }

  private IntentPrediction compute(String user, Set<String> intents, Instant now) {
    Loaded state = loaded.get();
    List<ActivityEvent> events = activity.recent(user, RECENT_EVENTS);
    Session session = currentSession(user, events, now);
    if (state.model() != null && session.length() > 0) {
      double[] distribution = state.model().predict(List.of(session), List.of(now))[0];
      IntentPrediction prediction = rank(state.model().vocabulary(), distribution, intents,
          IntentModel.NAME, state.stored().version());
      if (prediction != null) {
        return prediction;
      }
    }
    String why = state.model() == null ? state.problem() : session.length() == 0 ? "no current session" : "the model knows none of the intents";
    if (state.counts() != null && !state.counts().afterOne.isEmpty()) {
      String chosen = state.stored() == null || state.model() != null ? null : winner(state.stored());
      boolean chainChosen = OnlineMarkov.MARKOV1.equals(chosen) || OnlineMarkov.MARKOV2.equals(chosen);
      SequencePredictor markov = session.length() == 0 ? Baselines.userFrequency(state.counts())
          : OnlineMarkov.MARKOV2.equals(chosen) ? Baselines.markov2(state.counts()) : Baselines.markov1(state.counts());
      // a chain the selection chose speaks as the model; otherwise the chain stands in for a missing model
      boolean asModel = chainChosen && session.length() > 0;
      IntentPrediction prediction = rank(state.counts().vocabulary, markov.predict(List.of(session), List.of(now))[0],
          intents, asModel ? chosen : "baseline:" + markov.name() + " (" + why + ")",
          asModel ? state.stored().version() : null);
      if (prediction != null) {
        return prediction;
      }
    }
    IntentPrediction fallback = lastResort.predict(user, intents, now);
    return new IntentPrediction(fallback.ranking(), fallback.source() + " (" + why + ")", null);
  }

  private Session currentSession(String user, List<ActivityEvent> events, Instant now) {
    List<ActivityEvent> current = new ArrayList<>();
    Instant previous = now;
    for (int i = events.size() - 1; i >= 0; i--) {
      ActivityEvent event = events.get(i);
      if (Duration.between(event.time(), previous).compareTo(settings.sessionGap()) > 0) {
        break;
      }
      current.add(0, event);
      previous = event.time();
    }
    return new Session(user + "@now", user, current.stream().map(ActivityEvent::action).toList(),
        current.stream().map(ActivityEvent::time).toList());
  }

  /** The distribution restricted to the intents, renormalised; null when it gives them nothing. */
  private static IntentPrediction rank(Vocabulary vocabulary, double[] distribution, Set<String> intents,
      String source, Integer version) {
    double total = 0;
    List<IntentPrediction.RankedIntent> ranking = new ArrayList<>();
    for (String intent : intents) {
      int index = vocabulary.indexOf(intent);
      double p = index < vocabulary.actions().size() ? distribution[index] : 0.0;
      total += p;
      ranking.add(new IntentPrediction.RankedIntent(intent, p));
    }
    if (total <= 0) {
      return null;
    }
    double sum = total;
    return new IntentPrediction(ranking.stream()
        .map(r -> new IntentPrediction.RankedIntent(r.intent(), r.probability() / sum)).toList(), source, version);
  }
}
