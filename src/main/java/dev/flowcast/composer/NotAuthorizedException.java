package dev.flowcast.composer;

/** The user may not start any candidate of the intent; the decision is logged all the same. */
public class NotAuthorizedException extends RuntimeException {

  private final String decisionId;

  public NotAuthorizedException(String message, String decisionId) {
    super(message);
    this.decisionId = decisionId;
  }

  public String decisionId() {
    return decisionId;
  }
}
