package dev.flowcast.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.SeparateApplication;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.PriceCatalog;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Settings and catalogs that cannot work stop the start, and the report names the setting, or the
 * file and the field: an unknown provider or planner, an elastic pool whose lead time is not
 * positive or whose minimum exceeds its maximum, a pool whose Deployment does not exist, an unknown
 * overflow or scale-in hold.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CapacityStartupTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path folder;

  @Test
  void shouldRefuseToStartWithAnUnknownProviderNamingTheSetting() {
    assertThatThrownBy(() -> SeparateApplication.startAndClose("--flowcast.capacity.provider=openstack"))
        .rootCause()
        .hasMessageStartingWith("FLOWCAST-320 flowcast.capacity.provider: no provider 'openstack'; known: fixed, kubernetes");
  }

  @Test
  void shouldRefuseToStartWithAnUnknownPlannerNamingTheSetting() {
    assertThatThrownBy(() -> SeparateApplication.startAndClose("--flowcast.capacity.planner=psychic"))
        .rootCause()
        .hasMessage("FLOWCAST-320 flowcast.capacity.planner: no planner 'psychic'; known: predictive, reactive");
  }

  @Test
  void shouldRefuseToStartWithAnUnknownOverflowNamingTheSetting() {
    assertThatThrownBy(() -> SeparateApplication.startAndClose("--flowcast.capacity.overflow=everywhere"))
        .rootCause()
        .hasMessage("FLOWCAST-387 flowcast.capacity.overflow: no overflow 'everywhere'; known: none, spill"
            + " (or declare an Overflow bean)");
  }

  @Test
  void shouldRefuseToStartWithAnUnknownScaleInHoldNamingTheSetting() {
    assertThat(SeparateApplication.startupReport("--flowcast.capacity.scale-in-hold=forever"))
        .contains("field 'capacity.scaleInHold': rejected value [forever]")
        .contains("must be scale-in-delay or lead-time");
  }

  @Test
  void shouldRefuseToStartOnAnElasticPoolWhoseMinimumExceedsItsMaximumNamingFileAndField() {
    Path prices = ElasticCatalogs.write(folder, ElasticCatalogs.SPOT_ELASTIC.replace("min-units: 0", "min-units: 9"));

    assertThat(SeparateApplication.startupReport("--flowcast.resources.prices=file:" + prices))
        .contains("FLOWCAST-030 price catalog " + prices + " refused: line 16: elasticity.max-units of 'spot' (8)"
            + " must be at least min-units (9)");
  }

  @Test
  void shouldRefuseToStartOnALeadTimeThatIsNotPositiveNamingFileAndField() {
    Path prices = ElasticCatalogs.write(folder, ElasticCatalogs.SPOT_ELASTIC.replace("lead-time: PT3M", "lead-time: PT0S"));

    assertThat(SeparateApplication.startupReport("--flowcast.resources.prices=file:" + prices))
        .contains("FLOWCAST-030 price catalog " + prices + " refused: line 17: elasticity.lead-time must be more than"
            + " zero, not PT0S");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  static class Catalog {
    static Path file;

    @Bean
    PriceCatalog priceCatalog() {
      return new PriceCatalog(new org.springframework.core.io.DefaultResourceLoader(), "file:" + file,
          "classpath:config/prices.yml");
    }
  }

  @Test
  void shouldRefuseToStartTheKubernetesProviderWhenAPoolsDeploymentDoesNotExist() {
    Catalog.file = ElasticCatalogs.write(folder, ElasticCatalogs.SPOT_ELASTIC);
    ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Catalog.class, CapacityConfiguration.Kubernetes.class)
        .withPropertyValues("flowcast.capacity.provider=kubernetes",
            "flowcast.capacity.kubernetes.namespace=flowcast",
            "flowcast.capacity.kubernetes.master-url=" + client.getMasterUrl());

    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage("FLOWCAST-328 flowcast.capacity.provider=kubernetes:"
          + " flowcast.capacity.kubernetes.deployments.spot: Deployment 'flowcast-spot' not found in namespace"
          + " 'flowcast' (pools of the price catalog " + Catalog.file + ")");
    });

    client.apps().deployments().inNamespace("flowcast").resource(new DeploymentBuilder()
        .withNewMetadata().withName("flowcast-spot").endMetadata()
        .withNewSpec().withReplicas(0).endSpec().build()).create();
    runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(KubernetesCapacityProvider.class));
  }
}
