package dev.flowcast.composer;

import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The proactive loop ({@code flowcast.proactive.*}): for every user active lately, the intents
 * predicted above the threshold are composed and deployed ahead of time, so the request itself
 * finds its definition deployed (counted as {@code outcome=reused} deployments).
 */
class ProactiveComposer {

  private static final Logger log = LoggerFactory.getLogger(ProactiveComposer.class);

  private final Composer composer;
  private final IntentPredictor predictor;
  private final ActivityLog activity;
  private final FlowcastProperties.Proactive settings;
  private final Clock clock;

  ProactiveComposer(Composer composer, IntentPredictor predictor, ActivityLog activity,
      FlowcastProperties.Proactive settings, Clock clock) {
    this.composer = composer;
    this.predictor = predictor;
    this.activity = activity;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(initialDelayString = "${flowcast.proactive.interval:PT1M}", fixedDelayString = "${flowcast.proactive.interval:PT1M}")
  void scheduled() {
    if (settings.enabled()) {
      run();
    }
  }

  /** Returns the compositions prepared (deployed now or found deployed). */
  java.util.List<CompositionResult> run() {
    Instant now = clock.instant();
    java.util.List<CompositionResult> prepared = new java.util.ArrayList<>();
    for (String user : activity.activeUsers(now.minus(settings.activeWithin()))) {
      IntentPrediction prediction = predictor.predict(user, composer.intents(), now);
      for (IntentPrediction.RankedIntent ranked : prediction.ranking()) {
        if (ranked.probability() < settings.threshold()) {
          break;
        }
        try {
          CompositionResult result = composer.compose(new CompositionRequest(user, ranked.intent(), Map.of(), null,
              CompositionRequest.Origin.PROACTIVE));
          if (result.status() == CompositionResult.Status.PREPARED) {
            prepared.add(result);
          }
        } catch (RuntimeException e) {
          log.debug("FLOWCAST-060 could not pre-compose {} for {}: {}", ranked.intent(), user, e.getMessage());
        }
      }
    }
    return prepared;
  }
}
