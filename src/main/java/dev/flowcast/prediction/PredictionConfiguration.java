package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.ResourcesConfiguration;
import java.time.Clock;
import org.camunda.bpm.engine.HistoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

@AutoConfiguration(before = ResourcesConfiguration.class)
public final class PredictionConfiguration {

  private static final Logger log = LoggerFactory.getLogger(PredictionConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  ModelRegistry modelRegistry(JdbcClient jdbc, ObjectMapper json) {
    return new ModelRegistry(jdbc, json);
  }

  @Bean
  @ConditionalOnMissingBean
  IntentTrainer intentTrainer(ActivityLog activity, ModelRegistry registry, FlowcastProperties properties, Clock clock) {
    return new IntentTrainer(activity, registry, properties.prediction(), clock);
  }

  @Bean
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  IntentPredictor intentPredictor(ModelRegistry registry, ActivityLog activity, HistoryService history,
      FlowcastProperties properties, ObjectMapper json, Clock clock) {
    ModelIntentPredictor predictor = new ModelIntentPredictor(registry, activity, new HistoryFrequencyPredictor(history),
        properties.prediction(), json, clock);
    predictor.reload();
    return predictor;
  }

  @Bean
  PredictionSchedule predictionSchedule(IntentPredictor predictor, IntentTrainer trainer, ActivityLog activity,
      FlowcastProperties properties, Clock clock) {
    return new PredictionSchedule(predictor, trainer, activity, properties, clock);
  }

  /** Looks for newer intent models, retrains on schedule, prunes old activity. */
  static final class PredictionSchedule {
    private final IntentPredictor predictor;
    private final IntentTrainer trainer;
    private final ActivityLog activity;
    private final FlowcastProperties properties;
    private final Clock clock;
    private java.time.Instant lastTraining = java.time.Instant.EPOCH;

    PredictionSchedule(IntentPredictor predictor, IntentTrainer trainer, ActivityLog activity,
        FlowcastProperties properties, Clock clock) {
      this.predictor = predictor;
      this.trainer = trainer;
      this.activity = activity;
      this.properties = properties;
      this.clock = clock;
      this.lastTraining = clock.instant();
    }

    @Scheduled(initialDelayString = "${flowcast.prediction.refresh-interval:PT30S}",
        fixedDelayString = "${flowcast.prediction.refresh-interval:PT30S}")
    void tick() {
      predictor.reload();
      java.time.Duration interval = properties.prediction().trainingInterval();
      if (!interval.isZero() && clock.instant().isAfter(lastTraining.plus(interval))) {
        lastTraining = clock.instant();
        try {
          trainer.train(round -> {});
          activity.prune(clock.instant().minus(properties.activity().retention()));
        } catch (IntentTrainer.NotEnoughDataException e) {
          log.info("FLOWCAST-053 scheduled training skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
          log.error("FLOWCAST-054 scheduled training failed: {}", e.getMessage(), e);
        }
      }
    }
  }
}
