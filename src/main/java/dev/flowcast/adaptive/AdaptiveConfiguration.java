package dev.flowcast.adaptive;

import dev.flowcast.resources.ReservationLedger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every {@code ProcessEnginePlugin} bean is picked up by the Camunda starter. */
@Configuration(proxyBeanMethods = false)
public class AdaptiveConfiguration {

  @Bean
  FlowcastEnginePlugin flowcastEnginePlugin(ReservationLedger ledger) {
    return new FlowcastEnginePlugin(
        new ComposedProcessParseListener(new ReleaseReservationsListener(ledger)));
  }
}
