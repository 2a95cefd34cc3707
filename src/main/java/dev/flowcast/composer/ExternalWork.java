package dev.flowcast.composer;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;

/**
 * The external tasks of a task component: work that the workers of the step's pool fetch by topic,
 * instead of the engine's job executor. Each step is routed to its pool by its topic: the topic
 * names the pool through the variable {@value #POOL_VARIABLE}, which each composed step passes
 * into its component ({@code render@${flowcastPool}} becomes {@code render@spot} for a step bound to
 * spot). A component declares the variables its work sets ({@value #OUTPUTS}, comma-separated); a
 * completion that sets others is refused.
 */
public final class ExternalWork {

  public static final String TYPE = "external";
  public static final String POOL_VARIABLE = "flowcastPool";
  public static final String POOL_PLACEHOLDER = "${" + POOL_VARIABLE + "}";
  public static final String OUTPUTS = "flowcast.outputs";

  /** One external task of a component: its element and its topic, still naming the pool as a variable. */
  public record ExternalStep(String elementId, String topic) {
    /** The topic the workers of {@code pool} subscribe to. */
    public String topicIn(String pool) {
      return topic.replace(POOL_PLACEHOLDER, pool);
    }
  }

  private ExternalWork() {}

  public static List<ExternalStep> steps(BpmnModelInstance model) {
    return model.getModelElementsByType(ServiceTask.class).stream()
        .filter(task -> TYPE.equals(task.getCamundaType()))
        .map(task -> new ExternalStep(task.getId(), task.getCamundaTopic()))
        .toList();
  }

  /** The variables the component's work may set. */
  public static Set<String> outputs(Process process) {
    String declared = BpmnFiles.properties(process).get(OUTPUTS);
    if (declared == null || declared.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(declared.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Checks a component's external tasks: each has a topic, and the topic names the pool.
   *
   * @throws InvalidFileException naming the element
   */
  static void check(BpmnModelInstance model) {
    for (ExternalStep step : steps(model)) {
      if (step.topic() == null || step.topic().isBlank()) {
        throw new InvalidFileException("service task '" + step.elementId()
            + "' is an external task (camunda:type=\"external\") without a camunda:topic");
      }
      if (!step.topic().contains(POOL_PLACEHOLDER)) {
        throw new InvalidFileException("service task '" + step.elementId() + "': its topic '" + step.topic()
            + "' must name the pool through " + POOL_PLACEHOLDER + " (e.g. '" + step.topic() + "@" + POOL_PLACEHOLDER
            + "'), so that each step goes to the workers of the pool it is bound to");
      }
    }
  }

  public static boolean isExternal(BpmnModelInstance model) {
    return !steps(model).isEmpty();
  }
}
