package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

/** Attaches Flowcast's listeners to composed processes ({@code flowcast-<intent>}) as they are parsed. */
class ComposedProcessParseListener extends AbstractBpmnParseListener {

  private final ExecutionListener releaseReservations;

  ComposedProcessParseListener(ExecutionListener releaseReservations) {
    this.releaseReservations = releaseReservations;
  }

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
    if (ProcessKeys.isComposed(processDefinition.getKey())) {
      // Built-in, not custom: cancelling with skipCustomListeners (as migration and modification
      // allow) must still release the instance's reservations.
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, releaseReservations);
    }
  }
}
