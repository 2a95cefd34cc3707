package dev.flowcast.config;

/**
 * The application Flowcast was added to lacks something Flowcast needs (a DataSource, the engine's
 * authorization checks, task components). Its message is one line that names what is missing and
 * how to supply it; the application's start-up report says it instead of a stack trace.
 */
public class FlowcastSetupException extends RuntimeException {

  public FlowcastSetupException(String message) {
    super(message);
  }
}
