package dev.flowcast.composer;

import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;

/**
 * One deployed task component: an executable process {@code component-<name>} providing a
 * capability, with the resources, duration and pool it declares in its extension properties.
 *
 * @param pool {@code spot}, {@code on-demand} or {@link #ANY_POOL}
 * @param version the deployed version the composer pins call activities to
 */
public record TaskComponent(
    String name,
    String processKey,
    String capability,
    ResourceDemand requirements,
    Duration expectedDuration,
    String pool,
    String costClass,
    boolean restartable,
    String source,
    String processDefinitionId,
    int version) {

  public static final String ANY_POOL = "any";

  public boolean runsIn(String candidatePool) {
    return ANY_POOL.equals(pool) || pool.equals(candidatePool);
  }

  TaskComponent deployedAs(String definitionId, int deployedVersion) {
    return new TaskComponent(
        name, processKey, capability, requirements, expectedDuration, pool, costClass,
        restartable, source, definitionId, deployedVersion);
  }
}
