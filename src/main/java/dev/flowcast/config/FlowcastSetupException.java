package dev.flowcast.config;

/**
 * The application Flowcast was added to lacks something Flowcast needs (a DataSource, the engine's
 * authorization checks, task components). It fails the start; {@link FlowcastSetupFailureAnalyzer}
 * reports it as one line saying what is missing and one saying what to do, instead of a stack trace.
 */
public class FlowcastSetupException extends RuntimeException {

  private final String missing;
  private final String action;

  /**
   * @param missing what is missing, one line with its FLOWCAST code
   * @param action how to supply it, one line
   */
  public FlowcastSetupException(String missing, String action) {
    super(missing + ": " + action);
    this.missing = missing;
    this.action = action;
  }

  public String missing() {
    return missing;
  }

  public String action() {
    return action;
  }
}
