package dev.flowcast.resources;

import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Default beans of the resources component; each one yields to a bean the user declares. */
@Configuration(proxyBeanMethods = false)
public class ResourcesConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock flowcastClock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  ReservationLedger reservationLedger(JdbcClient jdbc, Clock clock) {
    return new JdbcReservationLedger(jdbc, clock);
  }

  @Bean
  @ConditionalOnMissingBean
  CapacityCatalog capacityCatalog(FlowcastProperties properties) {
    return new CapacityCatalog(properties.resources().pools());
  }

  @Bean
  @ConditionalOnMissingBean
  ResourceMonitor resourceMonitor(CapacityCatalog catalog, ReservationLedger ledger) {
    return new ConfiguredCapacityMonitor(catalog, ledger);
  }
}
