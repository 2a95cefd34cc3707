package dev.flowcast.demo;

import dev.flowcast.config.ProcessVariables;
import dev.flowcast.worker.StepWork;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Work of the example domain that reads variables and sets outputs, whoever runs it: a worker's
 * step run (through {@link DemoSteps}) or the engine's job executor (as a delegate).
 */
abstract class DemoStep implements JavaDelegate {

  /** How a step's work takes its turn on a demo resource that another step holds. */
  enum Turn {
    /**
     * Waits for it in the database: the engine's job executor, whose job holds its connection for
     * its whole run anyway, and would spend one of its retries on a refusal.
     */
    WAIT,
    /** Refuses at once ({@link StepWork.StepBusyException}): a worker then waits, holding no connection. */
    REFUSE
  }

  /** Reads {@code in}, puts what it sets into {@code out}. */
  abstract void run(Map<String, Object> in, Map<String, Object> out, Turn turn);

  final Map<String, Object> run(Map<String, Object> in, Turn turn) {
    Map<String, Object> out = new LinkedHashMap<>();
    run(in, out, turn);
    return out;
  }

  @Override
  public final void execute(DelegateExecution execution) {
    execution.setVariables(run(execution.getVariables(), Turn.WAIT));
  }

  static String string(Map<String, Object> in, String name) {
    Object value = in.get(name);
    return value == null ? null : value.toString();
  }

  static long number(Map<String, Object> in, String name, long fallback) {
    return ProcessVariables.number(in.get(name), fallback);
  }
}
