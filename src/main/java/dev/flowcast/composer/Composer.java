package dev.flowcast.composer;

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
   * its template's static binding over the given pools (what the demand outlook prices an intent
   * by until a composition of it is deployed). Empty when the library cannot bind the template.
   */
  default Optional<Workflow> likelyBinding(String intent, Set<String> pools) {
    return Optional.empty();
  }
}
