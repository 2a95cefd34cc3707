package dev.flowcast.composer;

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
}
