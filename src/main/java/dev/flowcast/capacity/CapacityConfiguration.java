package dev.flowcast.capacity;

import dev.flowcast.composer.Composer;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.queue.QueuedDemand;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.PoolSupply;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourcesConfiguration;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Elastic pools: the provider named by {@code flowcast.capacity.provider} and the planner named by
 * {@code flowcast.capacity.planner}, chosen among every bean of their type (a bean of your own is
 * chosen by its name), the planner's tick, the pools' sizes for the monitor, and their gauges. A
 * name nothing answers to stops the start, naming the setting.
 */
@AutoConfiguration(before = ResourcesConfiguration.class)
public final class CapacityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CapacityConfiguration.class);
  /** The monitor reads a pool's size from the provider at most this often. */
  private static final Duration SIZE_REFRESH = Duration.ofSeconds(5);

  /** The provider and planner the settings name. */
  record Chosen(CapacityProvider provider, CapacityPlanner planner, boolean acting) {}

  @Bean
  FixedCapacityProvider fixedCapacityProvider(PriceCatalog catalog) {
    return new FixedCapacityProvider(catalog);
  }

  /** What the predictive planner does with demand a pool cannot hold (flowcast.capacity.overflow). */
  @Bean
  @ConditionalOnMissingBean(Overflow.class)
  Overflow overflow(FlowcastProperties properties, PriceCatalog catalog) {
    String overflow = properties.capacity().overflow();
    return switch (overflow) {
      case SpillToOtherPools.NAME -> new SpillToOtherPools(pool -> {
        PricedPool priced = catalog.pools().get(pool);
        return priced == null ? Double.MAX_VALUE : priced.pricePerVcpuHour();
      });
      case "none" -> Overflow.NONE;
      default -> throw new IllegalStateException("FLOWCAST-387 flowcast.capacity.overflow: no overflow '" + overflow
          + "'; known: none, " + SpillToOtherPools.NAME + " (or declare an Overflow bean)");
    };
  }

  @Bean
  PredictivePlanner predictivePlanner(FlowcastProperties properties, Overflow overflow) {
    return new PredictivePlanner(properties.capacity().targetUtilization(), overflow,
        ScaleInHold.named(properties.capacity().scaleInHold()));
  }

  @Bean
  ReactivePlanner reactivePlanner(FlowcastProperties properties) {
    return new ReactivePlanner(properties.capacity().targetUtilization(), properties.capacity().reactiveCooldown());
  }

  @Bean
  Chosen chosenCapacity(List<CapacityProvider> providers, List<CapacityPlanner> planners, FlowcastProperties properties) {
    FlowcastProperties.Capacity settings = properties.capacity();
    CapacityProvider provider = providers.stream().filter(p -> p.name().equals(settings.provider())).findFirst()
        .orElseThrow(() -> new IllegalStateException("FLOWCAST-320 flowcast.capacity.provider: no provider '"
            + settings.provider() + "'; known: " + known(providers.stream().map(CapacityProvider::name).toList(),
                KubernetesCapacityProvider.NAME)));
    CapacityPlanner planner = planners.stream().filter(p -> p.name().equals(settings.planner())).findFirst()
        .orElseThrow(() -> new IllegalStateException("FLOWCAST-320 flowcast.capacity.planner: no planner '"
            + settings.planner() + "'; known: " + known(planners.stream().map(CapacityPlanner::name).toList())));
    boolean acting = !(provider instanceof FixedCapacityProvider) && settings.mode() == FlowcastProperties.Mode.ACTIVE;
    log.info("FLOWCAST-326 capacity: provider {}, planner {}, {}", provider.name(), planner.name(),
        acting ? "sizes asked for every " + settings.tickInterval()
            : settings.mode() == FlowcastProperties.Mode.SHADOW ? "shadow mode: sizes decided and logged, not asked for"
            : "pools keep the catalog's capacity");
    return new Chosen(provider, planner, acting);
  }

  @Bean
  ProviderPoolSupply poolSupply(Chosen chosen, Clock clock) {
    return new ProviderPoolSupply(chosen.provider(), SIZE_REFRESH, clock);
  }

  @Bean
  PoolTargets poolTargets(JdbcClient jdbc) {
    return new PoolTargets(jdbc);
  }

  @Bean
  CapacityStatus capacityStatus(PriceCatalog catalog, ProviderPoolSupply supply, PoolTargets targets, Chosen chosen) {
    return new CapacityStatus(catalog, supply, targets, chosen.provider(), chosen.planner().name(), chosen.acting());
  }

  @Bean
  CapacityMetrics capacityMetrics(MeterRegistry registry, CapacityStatus status, Clock clock) {
    return new CapacityMetrics(registry, status, clock);
  }

  @Bean
  InitializingBean capacityGauges(CapacityMetrics metrics) {
    return metrics::registerPools;
  }

  /**
   * The tick runs when it has something to do: a provider that sizes pools, or shadow mode (which
   * logs what the planner would do, whatever the provider).
   */
  @Bean
  CapacityTick capacityTick(PriceCatalog catalog, Chosen chosen, @Lazy ResourceMonitor monitor,
      @Lazy DemandOutlook outlook, ReservationLedger ledger, @Lazy QueuedDemand queued, DecisionLog decisions,
      PoolTargets targets, CapacityMetrics metrics, ProviderPoolSupply supply, JdbcClient jdbc,
      @Lazy Composer composer, FlowcastProperties properties, Clock clock) {
    FlowcastProperties.Capacity settings = properties.capacity();
    CapacityTick.Inputs inputs = new CapacityTick.Inputs(monitor, outlook, ledger::heldPerPool, queued::perPool);
    return new CapacityTick(catalog, chosen.provider(), chosen.planner(), inputs, decisions, targets,
        new CapacityLease(jdbc, nodeName()), metrics, supply, () -> shadow(chosen, properties, composer),
        settings.tickInterval(), chosen.acting() || settings.mode() == FlowcastProperties.Mode.SHADOW, clock);
  }

  /**
   * Shadow: set so, or every intent only shadowed (Flowcast steers nothing, so it buys nothing),
   * or a provider that cannot size anything.
   */
  static boolean shadow(Chosen chosen, FlowcastProperties properties, Composer composer) {
    if (!chosen.acting()) {
      return true;
    }
    return !properties.intents().isEmpty() && !composer.intents().isEmpty()
        && composer.intents().stream().allMatch(intent -> properties.modeOf(intent) == FlowcastProperties.Mode.SHADOW);
  }

  /** The {@code kubernetes} provider, only when it is the one configured. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "flowcast.capacity.provider", havingValue = KubernetesCapacityProvider.NAME)
  static class Kubernetes {

    @Bean(destroyMethod = "close")
    KubernetesClient flowcastKubernetesClient(FlowcastProperties properties) {
      FlowcastProperties.Kubernetes settings = properties.capacity().kubernetes();
      Config config = settings.masterUrl().isBlank() ? Config.autoConfigure(null)
          : new ConfigBuilder(Config.empty()).withMasterUrl(settings.masterUrl()).withTrustCerts(true).build();
      return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Refuses to start when a pool's Deployment does not exist; an API that cannot answer yet only warns. */
    @Bean
    KubernetesCapacityProvider kubernetesCapacityProvider(KubernetesClient client, FlowcastProperties properties,
        PriceCatalog catalog) {
      KubernetesCapacityProvider provider =
          new KubernetesCapacityProvider(client, properties.capacity().kubernetes(), catalog);
      List<String> missing;
      try {
        missing = provider.missingTargets();
      } catch (CapacityRequestException e) {
        log.warn("FLOWCAST-327 the Deployments of the elastic pools cannot be checked now; each tick tries again: {}",
            e.getMessage());
        return provider;
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("FLOWCAST-328 flowcast.capacity.provider=kubernetes: "
            + String.join("; ", missing) + " (pools of the price catalog " + catalog.current().source() + ")");
      }
      return provider;
    }
  }

  private static String known(List<String> names, String... more) {
    TreeSet<String> all = new TreeSet<>(names);
    all.addAll(List.of(more));
    return String.join(", ", all);
  }

  private static String nodeName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown";
    }
    // two nodes on one host are two holders
    return host + "/" + UUID.randomUUID();
  }
}
