package dev.flowcast.capacity;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Deployment per elastic pool: its replicas are the pool's units. The size is read from the
 * Deployment (replicas asked for, ready replicas); a new size is written through its
 * {@code scale} subresource, which needs only the {@code deployments/scale} right. Units on their
 * way are expected one lead time after they were asked for (the catalog's figure).
 */
final class KubernetesCapacityProvider implements CapacityProvider {

  static final String NAME = "kubernetes";

  private record Request(int units, Instant at) {}

  private final KubernetesClient client;
  private final FlowcastProperties.Kubernetes settings;
  private final PriceCatalog catalog;
  private final Map<String, Request> requested = new ConcurrentHashMap<>();

  KubernetesCapacityProvider(KubernetesClient client, FlowcastProperties.Kubernetes settings, PriceCatalog catalog) {
    this.client = client;
    this.settings = settings;
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The elastic pools whose Deployment does not exist, each with the setting that names it.
   *
   * @throws CapacityRequestException when the API cannot answer (down, forbidden)
   */
  List<String> missingTargets() {
    List<String> missing = new ArrayList<>();
    for (PricedPool pool : catalog.pools().values()) {
      if (pool.elastic().isPresent() && deployment(pool.name()) == null) {
        missing.add("flowcast.capacity.kubernetes.deployments." + pool.name() + ": Deployment '"
            + settings.deploymentOf(pool.name()) + "' not found in namespace '" + namespace() + "'");
      }
    }
    return missing;
  }

  @Override
  public PoolSize size(String pool, Instant now) {
    Deployment deployment = deployment(pool);
    if (deployment == null) {
      throw new CapacityRequestException("Deployment '" + settings.deploymentOf(pool) + "' of pool '" + pool
          + "' not found in namespace '" + namespace() + "'");
    }
    Integer specified = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
    Integer readyReplicas = deployment.getStatus() == null ? null : deployment.getStatus().getReadyReplicas();
    int ready = readyReplicas == null ? 0 : readyReplicas;
    // a Deployment without replicas set runs one; while it scales in, more may still be ready than asked for
    int provisioned = Math.max(specified == null ? 1 : specified, ready);
    List<PoolSize.Arrival> arriving = new ArrayList<>();
    if (provisioned > ready) {
      Request last = requested.get(pool);
      Duration lead = leadTime(pool);
      Instant expected = last == null ? now.plus(lead) : last.at().plus(lead);
      arriving.add(new PoolSize.Arrival(provisioned - ready, expected.isBefore(now) ? now : expected));
    }
    return new PoolSize(pool, provisioned, ready, arriving);
  }

  @Override
  public void requestTarget(String pool, int units, Instant now) {
    String name = settings.deploymentOf(pool);
    try {
      if (deployment(pool) == null) {
        throw new CapacityRequestException("Deployment '" + name + "' of pool '" + pool + "' not found in namespace '"
            + namespace() + "'");
      }
      client.apps().deployments().inNamespace(namespace()).withName(name).scale(units);
      requested.put(pool, new Request(units, now));
    } catch (KubernetesClientException e) {
      throw new CapacityRequestException(reason(e, "scaling Deployment '" + name + "'"), e);
    }
  }

  private Deployment deployment(String pool) {
    String name = settings.deploymentOf(pool);
    try {
      return client.apps().deployments().inNamespace(namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new CapacityRequestException(reason(e, "reading Deployment '" + name + "'"), e);
    }
  }

  private String namespace() {
    String configured = settings.namespace();
    return configured == null || configured.isBlank() ? client.getNamespace() : configured;
  }

  private Duration leadTime(String pool) {
    PricedPool priced = catalog.pools().get(pool);
    return priced == null || priced.elasticity() == null ? Duration.ZERO : priced.elasticity().leadTime();
  }

  /** The API's answer in words: forbidden, not found, or unreachable, with what it said. */
  static String reason(KubernetesClientException e, String doing) {
    String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : innermost(e);
    if (e.getCode() <= 0) {
      return "the Kubernetes API cannot be reached " + doing + ": " + said;
    }
    return switch (e.getCode()) {
      case HttpURLConnection.HTTP_FORBIDDEN -> "the Kubernetes API forbids " + doing + ": " + said;
      case HttpURLConnection.HTTP_UNAUTHORIZED -> "the Kubernetes API refused the credentials " + doing + ": " + said;
      default -> "the Kubernetes API answered " + e.getCode() + " " + doing + ": " + said;
    };
  }

  /** The deepest cause that says something (a refused connection says it at the bottom). */
  private static String innermost(Throwable e) {
    String said = e.getMessage();
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        said = cause.getClass().getSimpleName().equals("ConnectException") && cause.getMessage().isBlank()
            ? "connection refused" : cause.getMessage();
      } else if (cause instanceof java.net.ConnectException) {
        said = "connection refused";
      }
    }
    return said == null ? "no answer" : said;
  }
}
