package dev.flowcast.demo;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.ProcessKeys;
import java.time.Clock;
import java.time.Duration;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Simulated time, the one thing the example domain fakes: how long a demo component's work takes
 * beyond its real part, which is what the component declares ({@code flowcast.expectedDuration})
 * times {@code flowcast.demo.time-scale}, times an injected slowdown ({@link DemoFaults}) as it
 * stands when the wait begins. Workers wait it out after the work of an external task; the
 * components that run in the engine wait it out in a timer ({@code ${demoPace.restOf(execution)}}),
 * holding no thread, transaction or connection of the engine meanwhile.
 */
public final class DemoPace {

  private final ComponentLibrary components;
  private final DemoFaults faults;
  private final DemoProperties properties;
  private final Clock clock;

  DemoPace(ComponentLibrary components, DemoFaults faults, DemoProperties properties, Clock clock) {
    this.components = components;
    this.faults = faults;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * The timer's duration for the component instance the execution belongs to, as ISO 8601 (PT0S
   * outside a demo component).
   */
  public String restOf(DelegateExecution execution) {
    String component = componentOf(execution);
    return (component == null ? Duration.ZERO : of(component)).toString();
  }

  /** The simulated time of the component's work, from now. */
  Duration of(String component) {
    Duration declared = components.components().stream().filter(c -> c.name().equals(component))
        .map(TaskComponent::expectedDuration).findFirst().orElse(Duration.ZERO);
    double factor = properties.timeScale() * faults.slowdownOf(component, clock.instant());
    return Duration.ofMillis((long) (declared.toMillis() * factor));
  }

  /** The demo component the execution belongs to, or null outside a component. */
  static String componentOf(DelegateExecution execution) {
    // definition ids do not always start with the key (long keys get a bare id): ask the cache
    String key = execution.getProcessEngineServices().getRepositoryService()
        .getProcessDefinition(execution.getProcessDefinitionId()).getKey();
    return key.startsWith(ProcessKeys.COMPONENT_PREFIX) ? key.substring(ProcessKeys.COMPONENT_PREFIX.length()) : null;
  }
}
