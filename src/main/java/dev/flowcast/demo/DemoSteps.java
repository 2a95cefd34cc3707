package dev.flowcast.demo;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.worker.StepWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The example domain's work for workers: the demo components whose work is an external task
 * ({@code demo-compute}, {@code demo-query}, {@code demo-snapshot}, {@code demo-restore},
 * {@code demo-replicate}, each {@code @<pool>}) do their real part here, where their data is, once
 * per step run; the worker then waits out the rest of the component's declared duration times
 * {@code flowcast.demo.time-scale} times an injected slowdown, holding no connection of the engine.
 */
class DemoSteps implements StepWork {

  private final Map<String, DemoStep> steps;
  private final ComponentLibrary components;
  private final DemoFaults faults;
  private final DemoProperties properties;
  private final Clock clock;

  DemoSteps(Map<String, DemoStep> steps, ComponentLibrary components, DemoFaults faults, DemoProperties properties,
      Clock clock) {
    this.steps = Map.copyOf(steps);
    this.components = components;
    this.faults = faults;
    this.properties = properties;
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
      outputs = steps.get(base(topic)).run(variables);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(e.getMessage());
    }
    Duration declared = components.components().stream().filter(c -> c.name().equals(component))
        .map(TaskComponent::expectedDuration).findFirst().orElse(Duration.ZERO);
    double factor = properties.timeScale() * faults.slowdownOf(component, now);
    return new Result(outputs, Duration.ofMillis((long) (declared.toMillis() * factor)));
  }

  private static String base(String topic) {
    int at = topic.indexOf('@');
    return at < 0 ? topic : topic.substring(0, at);
  }
}
