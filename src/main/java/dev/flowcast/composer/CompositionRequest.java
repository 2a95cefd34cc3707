package dev.flowcast.composer;

import java.time.Instant;
import java.util.Map;

/**
 * What a user asks for.
 *
 * @param intent the intent to compose, or {@code null} for the top prediction
 * @param parameters process variables for the workflow (strings, numbers, booleans)
 * @param deadline until when a queued request may wait
 * @param origin who is asking: a user's request, or the queue trying a request again
 */
public record CompositionRequest(
    String user, String intent, Map<String, Object> parameters, Instant deadline, Origin origin) {

  /** Where the request comes from. */
  public enum Origin {
    REQUEST,
    QUEUE,
    /** The proactive loop, preparing a predicted request: deploy, do not start. */
    PROACTIVE
  }

  public CompositionRequest {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
  }

  public CompositionRequest withIntent(String chosenIntent) {
    return new CompositionRequest(user, chosenIntent, parameters, deadline, origin);
  }
}
