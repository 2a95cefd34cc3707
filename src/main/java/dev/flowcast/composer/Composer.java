package dev.flowcast.composer;

import dev.flowcast.resources.PricedPool;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Composes, deploys and starts the best-fitting workflow for a request. */
public interface Composer {

  /**
   * @throws UnknownIntentException if the request names an intent without template
   * @throws NotAuthorizedException if the user may start no candidate of the intent
   */
  CompositionResult compose(CompositionRequest request);

  /** The intents that templates exist for. */
  Set<String> intents();

  /**
   * The workflow a request of {@code intent} would most likely run before any has been composed:
   * of its template's candidates over the given pools, the cheapest at their prices, which is what
   * the composer chooses when capacity has been bought for the request (what the demand outlook
   * prices an intent by until a composition of it is deployed, so that the planner buys a step that
   * may run anywhere in the cheapest pool). Empty when the library cannot bind the template.
   */
  default Optional<Workflow> likelyBinding(String intent, Map<String, PricedPool> pools) {
    return Optional.empty();
  }
}
