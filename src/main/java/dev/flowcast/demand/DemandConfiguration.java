package dev.flowcast.demand;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.ModelRegistry;
import dev.flowcast.prediction.PredictionConfiguration;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.ResourceHistory;
import dev.flowcast.resources.ResourcesConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The learned projection of resource use: its trainer, the forecaster the resources component
 * projects with (before it, so that its trend stays the fallback only), and their schedule.
 */
@AutoConfiguration(after = PredictionConfiguration.class, before = ResourcesConfiguration.class)
public final class DemandConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DemandConfiguration.class);

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
  DemandSchedule demandSchedule(ObjectProvider<LearnedDemandForecaster> forecaster, DemandTrainer trainer,
      FlowcastProperties properties, Clock clock) {
    return new DemandSchedule(forecaster.getIfAvailable(), trainer, properties, clock);
  }

  /** Looks for newer demand models and retrains on schedule (when the learned forecaster is the one in use). */
  static final class DemandSchedule {
    private final LearnedDemandForecaster forecaster;
    private final DemandTrainer trainer;
    private final FlowcastProperties properties;
    private final Clock clock;
    private final AtomicBoolean training = new AtomicBoolean();
    private Instant lastTraining;

    DemandSchedule(LearnedDemandForecaster forecaster, DemandTrainer trainer, FlowcastProperties properties, Clock clock) {
      this.forecaster = forecaster;
      this.trainer = trainer;
      this.properties = properties;
      this.clock = clock;
      this.lastTraining = clock.instant();
    }

    @Scheduled(initialDelayString = "${flowcast.prediction.refresh-interval:PT30S}",
        fixedDelayString = "${flowcast.prediction.refresh-interval:PT30S}")
    void tick() {
      if (forecaster != null) {
        forecaster.reload();
        trainWhenDue();
      }
    }

    /** Training takes a while: it runs on a thread of its own, one at a time, so the sampler never waits for it. */
    private void trainWhenDue() {
      Duration interval = properties.prediction().demandTrainingInterval();
      if (interval.isZero() || !clock.instant().isAfter(lastTraining.plus(interval)) || !training.compareAndSet(false, true)) {
        return;
      }
      lastTraining = clock.instant();
      Thread thread = new Thread(() -> {
        try {
          trainer.train(round -> {});
        } catch (DemandTrainer.NotEnoughHistoryException e) {
          log.info("FLOWCAST-057 scheduled demand training skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
          log.error("FLOWCAST-058 scheduled demand training failed: {}", e.getMessage(), e);
        } finally {
          training.set(false);
        }
      }, "flowcast-demand-training");
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      thread.start();
    }
  }
}
