package dev.flowcast.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.ResourceHistory;
import dev.flowcast.resources.ResourcesConfiguration;
import java.time.Clock;
import org.camunda.bpm.engine.HistoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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
  @ConditionalOnMissingBean
  DemandTrainer demandTrainer(ResourceHistory history, ModelRegistry registry, FlowcastProperties properties, Clock clock,
      ObjectProvider<LearnedDemandForecaster> forecaster) {
    return new DemandTrainer(history, registry, properties.prediction().demandTrainingWindow(),
        properties.prediction().demandMinimumPoints(), clock,
        () -> forecaster.ifAvailable(LearnedDemandForecaster::reload));
  }

  /** The learned projection of use, in place of the resources component's trend (which stays its fallback). */
  @Bean
  @ConditionalOnMissingBean(DemandForecaster.class)
  @DependsOnDatabaseInitialization
  LearnedDemandForecaster learnedDemandForecaster(ModelRegistry registry, ResourceHistory history,
      FlowcastProperties properties, Clock clock) {
    LearnedDemandForecaster forecaster = new LearnedDemandForecaster(
        DemandForecaster.trend(properties.resources().upperQuantileZ()), registry, history, clock);
    forecaster.reload();
    return forecaster;
  }

  @Bean
  PredictionSchedule predictionSchedule(IntentPredictor predictor, IntentTrainer trainer, ActivityLog activity,
      FlowcastProperties properties, Clock clock, ObjectProvider<LearnedDemandForecaster> demand,
      DemandTrainer demandTrainer) {
    return new PredictionSchedule(predictor, trainer, activity, properties, clock, demand.getIfAvailable(),
        demandTrainer);
  }

  /** Looks for newer models, retrains on schedule, prunes old activity. */
  static final class PredictionSchedule {
    private final IntentPredictor predictor;
    private final IntentTrainer trainer;
    private final ActivityLog activity;
    private final FlowcastProperties properties;
    private final Clock clock;
    private java.time.Instant lastTraining = java.time.Instant.EPOCH;
    private final LearnedDemandForecaster demand;
    private final DemandTrainer demandTrainer;
    private java.time.Instant lastDemandTraining;
    private final java.util.concurrent.atomic.AtomicBoolean demandTraining = new java.util.concurrent.atomic.AtomicBoolean();

    PredictionSchedule(IntentPredictor predictor, IntentTrainer trainer, ActivityLog activity,
        FlowcastProperties properties, Clock clock, LearnedDemandForecaster demand, DemandTrainer demandTrainer) {
      this.demand = demand;
      this.demandTrainer = demandTrainer;
      this.lastDemandTraining = clock.instant();
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
      if (demand != null) {
        demand.reload();
        trainDemandWhenDue();
      }
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

    /** Training takes a while: it runs on a thread of its own, one at a time, so the sampler never waits for it. */
    private void trainDemandWhenDue() {
      java.time.Duration interval = properties.prediction().demandTrainingInterval();
      if (interval.isZero() || !clock.instant().isAfter(lastDemandTraining.plus(interval))
          || !demandTraining.compareAndSet(false, true)) {
        return;
      }
      lastDemandTraining = clock.instant();
      Thread training = new Thread(() -> {
        try {
          demandTrainer.train(round -> {});
        } catch (DemandTrainer.NotEnoughHistoryException e) {
          log.info("FLOWCAST-057 scheduled demand training skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
          log.error("FLOWCAST-058 scheduled demand training failed: {}", e.getMessage(), e);
        } finally {
          demandTraining.set(false);
        }
      }, "flowcast-demand-training");
      training.setDaemon(true);
      training.setPriority(Thread.MIN_PRIORITY);
      training.start();
    }
  }
}
