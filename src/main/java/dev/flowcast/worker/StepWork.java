package dev.flowcast.worker;

import java.time.Duration;
import java.util.Map;

/**
 * Work that Flowcast's own application does for a worker's step, once per step run (the example
 * domain's: its data lives in Flowcast's database). A worker of a user's own components does its
 * work itself and needs none.
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
   */
  Result run(String component, String topic, Map<String, Object> variables);

  /** The work failed; the message says why, in words. */
  class StepFailedException extends RuntimeException {
    public StepFailedException(String message) {
      super(message);
    }
  }
}
