package dev.flowcast.worker;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.ExternalWork;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.ProcessKeys;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;

/** The loaded task components whose work runs on workers: their topics per pool and their outputs. */
public class ExternalComponents {

  private final ComponentLibrary components;
  private final RepositoryService repository;

  public ExternalComponents(ComponentLibrary components, RepositoryService repository) {
    this.components = components;
    this.repository = repository;
  }

  /** The topics the workers of {@code pool} subscribe to, sorted. */
  public List<String> topicsIn(String pool) {
    Set<String> topics = new TreeSet<>();
    for (TaskComponent component : components.components()) {
      if (component.runsIn(pool)) {
        ExternalWork.steps(model(component.processDefinitionId())).forEach(step -> topics.add(step.topicIn(pool)));
      }
    }
    return List.copyOf(topics);
  }

  /** The component a process definition is, when it is a loaded one. */
  public Optional<TaskComponent> component(String processDefinitionKey) {
    if (processDefinitionKey == null || !processDefinitionKey.startsWith(ProcessKeys.COMPONENT_PREFIX)) {
      return Optional.empty();
    }
    String name = processDefinitionKey.substring(ProcessKeys.COMPONENT_PREFIX.length());
    return components.components().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The variables the work of a component's definition (any version) may set. */
  public Set<String> outputs(String processDefinitionId) {
    BpmnModelInstance model = model(processDefinitionId);
    return model.getModelElementsByType(Process.class).stream().filter(Process::isExecutable).findFirst()
        .map(ExternalWork::outputs).orElse(Set.of());
  }

  private BpmnModelInstance model(String processDefinitionId) {
    return repository.getBpmnModelInstance(processDefinitionId);
  }
}
