package dev.flowcast.prediction;

import java.time.Instant;
import java.util.Set;

/**
 * Predicts which intents a user will want next. Declare a bean of this type to replace the
 * default.
 */
public interface IntentPredictor {

  /**
   * @param user the user to predict for
   * @param intents the intents that can be composed; the answer ranks exactly these
   * @param now the moment of the prediction
   */
  IntentPrediction predict(String user, Set<String> intents, Instant now);

  /** New activity of the user arrived: forget anything cached for them. */
  default void forget(String user) {}

  /** A new model may be in the registry: look for it now rather than at the next refresh. */
  default void reload() {}
}
