package dev.flowcast.adaptive;

import dev.flowcast.activity.ActivityLog;
import dev.flowcast.resources.ReservationLedger;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Every {@code ProcessEnginePlugin} bean is picked up by the Camunda starter. */
@AutoConfiguration
public final class AdaptiveConfiguration {

  @Bean
  FlowcastEnginePlugin flowcastEnginePlugin(ReservationLedger ledger, ActivityLog activity) {
    return new FlowcastEnginePlugin(
        new ComposedProcessParseListener(new ReleaseReservationsListener(ledger)),
        new ActivityCaptureHandler(activity));
  }
}
