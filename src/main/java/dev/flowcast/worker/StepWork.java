package dev.flowcast.worker;

import java.time.Duration;
import java.util.Map;

/**
 * The application's part of an external step's work, done in the application (with its beans and
 * its data) once per step run, when a worker starts the run: a bean of this type serves the topics
 * it names, and Flowcast's workers (the {@code local-workers} provider's, or {@code worker}) complete
 * the task with what it returns. Flowcast's demo does its work so, and so can any application that
 * adds the starter (decision 0027). A worker of your own that does its work itself needs none.
 */
public interface StepWork {

  /** What a step run's work produced: the variables to complete it with, and how long it should take in all. */
  record Result(Map<String, Object> outputs, Duration pace) {}

  /** Whether this work serves a topic (as workers fetch it: {@code demo-query@spot}). */
  boolean serves(String topic);

  /**
   * Does the work, inside the transaction that records the step run's claim.
   *
   * @param variables the variables of the step's component instance
   * @throws StepFailedException when the work fails (the worker reports a failure; the engine retries)
   * @throws StepBusyException when the work must wait for something another step holds: nothing of
   *     the run is recorded, and the worker asks again later
   */
  Result run(String component, String topic, Map<String, Object> variables);

  /** The work failed; the message says why, in words. */
  class StepFailedException extends RuntimeException {
    public StepFailedException(String message) {
      super(message);
    }
  }

  /**
   * The work cannot run now: it takes turns on something (a row, a file, a service) that another
   * step holds. Thrown instead of waiting inside the transaction, which would hold one of the
   * engine's database connections for as long as the wait, and with enough such waits leave
   * requests none. The run's claim is undone and the worker asks again after {@code retryAfter},
   * holding no connection meanwhile.
   */
  class StepBusyException extends RuntimeException {

    private final Duration retryAfter;

    public StepBusyException(String message, Duration retryAfter) {
      super(message);
      if (retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException("a busy step is asked again after a wait above zero");
      }
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }
}
