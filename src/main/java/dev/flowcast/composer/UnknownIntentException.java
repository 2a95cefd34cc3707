package dev.flowcast.composer;

import java.util.Set;

/** The request names an intent no template provides. */
public class UnknownIntentException extends RuntimeException {

  public UnknownIntentException(String intent, Set<String> known) {
    super("unknown intent '" + intent + "'; known intents: " + known);
  }
}
