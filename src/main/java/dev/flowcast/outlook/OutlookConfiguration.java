package dev.flowcast.outlook;

import dev.flowcast.activity.ActivityLog;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceProfile;
import dev.flowcast.resources.ResourcesConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The outlook component: demand that predictions of all active users say is coming, and what running
 * instances will release, for the resource monitor's projection (in place of its default, which
 * knows nothing), and the expected requests per intent on {@code /actuator/prometheus}.
 */
@AutoConfiguration(before = ResourcesConfiguration.class)
public final class OutlookConfiguration {

  /** Expected requests per intent within each horizon, from the predictions of the users active now. */
  static final String INTENT_FORECAST = "flowcast.intent.forecast";
  private static final Duration REFRESH = Duration.ofSeconds(5);

  @Bean
  @ConditionalOnMissingBean(DemandOutlook.class)
  PredictedDemandOutlook predictedDemandOutlook(ActivityLog activity, @Lazy IntentPredictor predictor,
      @Lazy Composer composer, @Lazy Recomposer recomposer, RepositoryService repository, RuntimeService runtime,
      ReservationLedger ledger, PriceCatalog catalog, FlowcastProperties properties, Clock clock, MeterRegistry meters) {
    return new PredictedDemandOutlook(activity, predictor, composer, recomposer, repository, runtime, ledger, catalog,
        properties.prediction().sessionGap(), REFRESH, clock);
  }

  /** Gauges per intent and horizon: the intents are the templates', known once the application has started. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> intentForecastGauges(ObjectProvider<PredictedDemandOutlook> outlook,
      @Lazy Composer composer, MeterRegistry meters, Clock clock) {
    return ready -> outlook.ifAvailable(predicted -> {
      for (String intent : composer.intents()) {
        for (Duration horizon : ResourceProfile.HORIZONS) {
          Gauge.builder(INTENT_FORECAST, predicted,
                  o -> o.outlook(clock.instant(), horizon).expectedRequests().getOrDefault(intent, 0.0))
              .tags("intent", intent, "horizon", horizon.toMinutes() + "m")
              .description("requests of this intent expected within the horizon from the users active now")
              .strongReference(true)
              .register(meters);
        }
      }
    });
  }
}
