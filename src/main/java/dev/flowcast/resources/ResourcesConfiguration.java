package dev.flowcast.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.config.FlowcastProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/** Default beans of the resources component; each one yields to a bean the user declares. */
@AutoConfiguration
public final class ResourcesConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock flowcastClock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  ReservationLedger reservationLedger(JdbcClient jdbc, Clock clock, DataSource dataSource) {
    return new JdbcReservationLedger(jdbc, clock, dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  PriceCatalog priceCatalog(ResourceLoader loader, FlowcastProperties properties, JdbcClient jdbc) {
    return new PriceCatalog(loader, properties.resources().prices(), properties.resources().fallbackPrices(),
        new PoolOverrides(jdbc));
  }

  @Bean
  PriceCatalogWatcher priceCatalogWatcher(PriceCatalog catalog) {
    return new PriceCatalogWatcher(catalog);
  }

  @Bean
  @ConditionalOnMissingBean(MetricsSource.class)
  @ConditionalOnProperty(name = "flowcast.resources.source", havingValue = "oshi", matchIfMissing = true)
  MetricsSource oshiMetricsSource(Clock clock, FlowcastProperties properties) {
    return new OshiMetricsSource(clock, properties.resources().networkCapacityMbps(), properties.resources().diskCapacityIops());
  }

  @Bean
  @ConditionalOnMissingBean(MetricsSource.class)
  @ConditionalOnProperty(name = "flowcast.resources.source", havingValue = "prometheus")
  MetricsSource prometheusMetricsSource(Clock clock, FlowcastProperties properties, ObjectMapper json) {
    FlowcastProperties.Resources settings = properties.resources();
    return new PrometheusMetricsSource(settings.prometheus(), settings.networkCapacityMbps(), settings.diskCapacityIops(), json, clock);
  }

  @Bean
  ResourceHistory resourceHistory(JdbcClient jdbc) {
    return new ResourceHistory(jdbc, nodeName());
  }

  @Bean
  @DependsOnDatabaseInitialization
  ResourceSampler resourceSampler(MetricsSource source, ResourceHistory history, FlowcastProperties properties, Clock clock) {
    ResourceSampler sampler = new ResourceSampler(source, history, properties.resources(), clock);
    sampler.sampleNow(); // a profile from the first request on
    return sampler;
  }

  @Bean
  @ConditionalOnMissingBean
  DemandForecaster demandForecaster(FlowcastProperties properties) {
    return new TrendDemandForecaster(properties.resources().upperQuantileZ());
  }

  @Bean
  @ConditionalOnMissingBean
  ResourceMonitor resourceMonitor(
      ResourceSampler sampler, DemandForecaster forecaster, PriceCatalog catalog, ReservationLedger ledger,
      FlowcastProperties properties, InterruptionSignals interruptions, @Lazy DemandOutlook outlook,
      @Lazy PoolSupply supplies) {
    return new MeasuredResourceMonitor(sampler, forecaster, catalog, ledger, properties.resources(), interruptions,
        outlook, supplies);
  }

  @Bean
  @ConditionalOnMissingBean
  PoolSupply poolSupply() {
    return PoolSupply.fixed();
  }

  @Bean
  @ConditionalOnMissingBean
  DemandOutlook demandOutlook() {
    return DemandOutlook.none();
  }

  @Bean
  InterruptionSignals interruptionSignals(JdbcClient jdbc) {
    return new InterruptionSignals(jdbc);
  }

  @Bean
  InitializingBean resourceGauges(MeterRegistry registry, ResourceMonitor monitor, PriceCatalog catalog, Clock clock) {
    return () -> ResourceMetrics.register(registry, monitor, catalog, clock);
  }

  private static String nodeName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** Checks the price catalog file for changes every few seconds. */
  static final class PriceCatalogWatcher {
    private final PriceCatalog catalog;

    PriceCatalogWatcher(PriceCatalog catalog) {
      this.catalog = catalog;
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    void check() {
      catalog.reloadIfChanged();
      catalog.refreshOverrides();
    }
  }
}
