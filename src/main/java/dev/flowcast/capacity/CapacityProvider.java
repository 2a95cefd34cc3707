package dev.flowcast.capacity;

import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a pool's capacity comes from and how it is changed: it reports a pool's provisioned and
 * ready size and takes a target size, which it reaches in its own time (a node or a worker takes
 * a while to start). Implementations: {@code fixed} (the catalog's capacity, never changed),
 * {@code local-workers} (worker processes on this machine), {@code kubernetes} (a Deployment's
 * replicas through the scale subresource). Declare a bean of this type to replace the configured one.
 */
public interface CapacityProvider {

  /** The name it is configured by ({@code flowcast.capacity.provider}). */
  String name();

  PoolSize size(String pool, Instant now);

  /**
   * Asks for {@code units} units in {@code pool}; returns at once.
   *
   * @throws CapacityRequestException when the provider cannot take the request (its API is down,
   *     forbidden, the pool refused it): the caller logs it and plans with what is ready
   */
  void requestTarget(String pool, int units, Instant now);

  /**
   * How long a unit asked for takes to be ready, when the provider knows better than the catalog's
   * {@code lead-time} (it measured it: a local worker's start-up); empty: the catalog's figure.
   */
  default Optional<Duration> measuredLeadTime(String pool) {
    return Optional.empty();
  }

  /**
   * Why a unit of {@code unit} cannot be one of this provider's units in {@code pool}, in words
   * that follow the unit's name ("is 4 vCPU, 8192 MB, but a local worker holds ..."); empty when
   * it can. A provider whose units come in one size only (a worker of so many slots) refuses the
   * others: the planner would size the pool in units it does not have.
   */
  default Optional<String> unitMismatch(String pool, ResourceDemand unit) {
    return Optional.empty();
  }
}
