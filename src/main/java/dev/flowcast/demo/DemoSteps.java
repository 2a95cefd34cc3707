package dev.flowcast.demo;

import dev.flowcast.worker.StepWork;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The example domain's work for workers: the demo components whose work is an external task
 * ({@code demo-compute}, {@code demo-query}, {@code demo-snapshot}, {@code demo-restore},
 * {@code demo-replicate}, each {@code @<pool>}) do their real part here, where their data is, once
 * per step run; the worker then waits out the rest ({@link DemoPace}), holding no connection of
 * the engine.
 */
class DemoSteps implements StepWork {

  private final Map<String, DemoStep> steps;
  private final DemoPace pace;
  private final DemoFaults faults;
  private final Clock clock;

  DemoSteps(Map<String, DemoStep> steps, DemoPace pace, DemoFaults faults, Clock clock) {
    this.steps = Map.copyOf(steps);
    this.pace = pace;
    this.faults = faults;
    this.clock = clock;
  }

  @Override
  public boolean serves(String topic) {
    return steps.containsKey(base(topic));
  }

  @Override
  public Result run(String component, String topic, Map<String, Object> variables) {
    Instant now = clock.instant();
    if (faults.failing(component, now)) {
      throw new StepFailedException("injected failure: " + component + " fails (demo fault injection)");
    }
    Map<String, Object> outputs;
    try {
      outputs = steps.get(base(topic)).run(variables, DemoStep.Turn.REFUSE);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(e.getMessage());
    }
    return new Result(outputs, pace.of(component));
  }

  private static String base(String topic) {
    int at = topic.indexOf('@');
    return at < 0 ? topic : topic.substring(0, at);
  }
}
