package dev.flowcast.config;

import java.util.Optional;

/**
 * The one place that names Flowcast's process keys, so history reads, authorizations and
 * migration plans agree on them.
 */
public final class ProcessKeys {

  public static final String COMPOSED_PREFIX = "flowcast-";
  public static final String COMPONENT_PREFIX = "component-";
  public static final String QUEUE = "flowcast-queue";

  private ProcessKeys() {}

  public static String composed(String intent) {
    return COMPOSED_PREFIX + intent;
  }

  public static String component(String name) {
    return COMPONENT_PREFIX + name;
  }

  /** The intent of a composed process key, empty for any other key (the queue included). */
  public static Optional<String> intentOf(String processDefinitionKey) {
    if (processDefinitionKey == null
        || !processDefinitionKey.startsWith(COMPOSED_PREFIX)
        || QUEUE.equals(processDefinitionKey)) {
      return Optional.empty();
    }
    return Optional.of(processDefinitionKey.substring(COMPOSED_PREFIX.length()));
  }

  public static boolean isComposed(String processDefinitionKey) {
    return intentOf(processDefinitionKey).isPresent();
  }

  /** Deterministic step id: equal steps of two versions share it, so migration can map them. */
  public static String step(int position, String capability) {
    return "step_" + position + "_" + capability.replace('-', '_');
  }
}
