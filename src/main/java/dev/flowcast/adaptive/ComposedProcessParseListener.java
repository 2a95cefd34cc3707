package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.StepProperties;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseUtil;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Gives composed processes ({@code flowcast-<intent>}) and task components ({@code component-*})
 * Flowcast's listeners as they are parsed, so no model has to carry them. All are built-in
 * listeners: migration and modification with {@code skipCustomListeners} still fire them, so a
 * cancelled step is closed and a cancelled instance releases what it reserved. A process also gets the
 * {@link BuiltInProcessListener}s declared for its key (the queue's, for {@code flowcast-queue}).
 */
class ComposedProcessParseListener extends AbstractBpmnParseListener {

  private final ExecutionListener instanceEnded;
  private final ExecutionListener directStart;
  private final StepRecorder steps;
  private final Function<String, ExecutionListener> componentTimer;
  private final Map<String, List<BuiltInProcessListener>> byProcessKey;

  /**
   * @param directStart accounts for an instance started without the composer
   * @param componentTimer the activity timer of a component, by its name
   * @param declared the listeners other components declared for processes of their own
   */
  ComposedProcessParseListener(ExecutionListener instanceEnded, ExecutionListener directStart, StepRecorder steps,
      Function<String, ExecutionListener> componentTimer, Collection<BuiltInProcessListener> declared) {
    this.byProcessKey =
        declared.stream().collect(Collectors.groupingBy(BuiltInProcessListener::processDefinitionKey));
    this.instanceEnded = instanceEnded;
    this.directStart = directStart;
    this.steps = steps;
    this.componentTimer = componentTimer;
  }

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
    String key = processDefinition.getKey();
    for (BuiltInProcessListener listener : byProcessKey.getOrDefault(key, List.of())) {
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, listener);
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, listener);
    }
    if (ProcessKeys.isComposed(key)) {
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, directStart);
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, instanceEnded);
    } else if (key.startsWith(ProcessKeys.COMPONENT_PREFIX)) {
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, directStart);
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, instanceEnded);
      // every activity, whatever its type: walking the parsed scopes misses none
      timeAll(processDefinition.getActivities(),
          componentTimer.apply(key.substring(ProcessKeys.COMPONENT_PREFIX.length())));
    }
  }

  private static void timeAll(List<ActivityImpl> activities, ExecutionListener timer) {
    for (ActivityImpl activity : activities) {
      activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, timer);
      activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, timer);
      timeAll(activity.getActivities(), timer);
    }
  }

  /** The steps of a composed process are its call activities; their binding is in their properties. */
  @Override
  public void parseCallActivity(Element activityElement, ScopeImpl scope, ActivityImpl activity) {
    if (!(activity.getProcessDefinition() instanceof ProcessDefinitionEntity definition)
        || !ProcessKeys.isComposed(definition.getKey())) {
      return;
    }
    Map<String, String> properties = BpmnParseUtil.parseCamundaExtensionProperties(activityElement);
    if (properties == null || !properties.containsKey(StepProperties.COMPONENT)) {
      return; // a call activity Flowcast did not compose: not a step
    }
    StepListener listener = new StepListener(new StepBinding(definition.getKey(), activity.getId(),
        properties.get(StepProperties.CAPABILITY),
        properties.get(StepProperties.COMPONENT), properties.get(StepProperties.POOL)), steps);
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, listener);
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, listener);
  }
}
