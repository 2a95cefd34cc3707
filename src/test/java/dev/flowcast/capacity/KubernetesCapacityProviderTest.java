package dev.flowcast.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.PriceCatalog;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes provider against fabric8's Kubernetes API mock server in CRUD mode: real HTTP, the
 * API server's resource paths, Deployments stored and scaled as an API server would.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesCapacityProviderTest {

  static final String NAMESPACE = "flowcast";
  static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path folder;
  PriceCatalog catalog;
  KubernetesCapacityProvider provider;

  @BeforeEach
  void aCatalogWithAnElasticSpotPool() {
    catalog = ElasticCatalogs.catalog(folder, ElasticCatalogs.SPOT_ELASTIC);
    provider = new KubernetesCapacityProvider(client, settings(), catalog);
  }

  @Test
  void shouldReadAPoolsSizeFromItsDeploymentWithTheUnitsOnTheirWay() {
    givenDeployment("flowcast-spot", 3, 1);

    PoolSize size = provider.size("spot", NOON);

    assertThat(size.provisionedUnits()).isEqualTo(3);
    assertThat(size.readyUnits()).isEqualTo(1);
    assertThat(size.arriving()).containsExactly(new PoolSize.Arrival(2, NOON.plus(Duration.ofMinutes(3))));
  }

  @Test
  void shouldAskForATargetThroughTheDeploymentsScaleSubresource() throws Exception {
    givenDeployment("flowcast-spot", 1, 1);

    provider.requestTarget("spot", 5, NOON);

    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("flowcast-spot").get().getSpec()
        .getReplicas()).isEqualTo(5);
    boolean scaleSubresource = false;
    for (int taken = 0, all = server.getRequestCount(); taken < all; taken++) {
      var request = server.takeRequest();
      scaleSubresource |= request.getPath().equals("/apis/apps/v1/namespaces/flowcast/deployments/flowcast-spot/scale")
          && !request.getMethod().equals("GET");
    }
    assertThat(scaleSubresource).as("a write to .../deployments/flowcast-spot/scale").isTrue();
    PoolSize after = provider.size("spot", NOON.plusSeconds(10));
    assertThat(after.provisionedUnits()).isEqualTo(5);
    assertThat(after.arriving()).containsExactly(new PoolSize.Arrival(4, NOON.plus(Duration.ofMinutes(3))));
  }

  @Test
  void shouldNameTheSettingOfAPoolWhoseDeploymentDoesNotExist() {
    assertThat(provider.missingTargets()).containsExactly(
        "flowcast.capacity.kubernetes.deployments.spot: Deployment 'flowcast-spot' not found in namespace 'flowcast'");

    assertThatThrownBy(() -> provider.requestTarget("spot", 2, NOON))
        .isInstanceOf(CapacityRequestException.class)
        .hasMessageContaining("Deployment 'flowcast-spot' of pool 'spot' not found");
  }

  @Test
  void shouldScaleTheDeploymentTheSettingsName() {
    givenDeployment("workers-spot", 2, 2);
    KubernetesCapacityProvider named = new KubernetesCapacityProvider(client,
        new FlowcastProperties.Kubernetes(NAMESPACE, Map.of("spot", "workers-spot"), ""), catalog);

    named.requestTarget("spot", 4, NOON);

    assertThat(named.missingTargets()).isEmpty();
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("workers-spot").get().getSpec()
        .getReplicas()).isEqualTo(4);
  }

  @Test
  void shouldSayWhenTheApiForbidsScaling() {
    givenDeployment("flowcast-spot", 1, 1);
    server.expect().put().withPath("/apis/apps/v1/namespaces/flowcast/deployments/flowcast-spot/scale")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
            .withMessage("deployments.apps \"flowcast-spot\" is forbidden: User \"flowcast\" cannot update resource"
                + " \"deployments/scale\"").build())
        .always();

    assertThatThrownBy(() -> provider.requestTarget("spot", 3, NOON))
        .isInstanceOf(CapacityRequestException.class)
        .hasMessageStartingWith("the Kubernetes API forbids scaling Deployment 'flowcast-spot'")
        .hasMessageContaining("forbidden");
  }

  @Test
  void shouldSayWhenTheApiCannotBeReached() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + closedPort).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2000).build()).build()) {
      KubernetesCapacityProvider down = new KubernetesCapacityProvider(unreachable, settings(), catalog);

      assertThatThrownBy(() -> down.size("spot", NOON))
          .isInstanceOf(CapacityRequestException.class)
          .hasMessageStartingWith("the Kubernetes API cannot be reached reading Deployment 'flowcast-spot'");
    }
  }

  private static FlowcastProperties.Kubernetes settings() {
    return new FlowcastProperties.Kubernetes(NAMESPACE, Map.of(), "");
  }

  private void givenDeployment(String name, int replicas, int ready) {
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("worker").withImage("flowcast-worker:latest").endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build();
    client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).create();
    Deployment created = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
        .withReplicas(replicas).withReadyReplicas(ready).build());
    client.apps().deployments().inNamespace(NAMESPACE).resource(created).updateStatus();
  }
}
