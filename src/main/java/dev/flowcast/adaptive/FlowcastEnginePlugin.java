package dev.flowcast.adaptive;

import java.util.ArrayList;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Flowcast's engine plugin. It only registers: a parse listener that gives every composed process
 * the listeners Flowcast needs, so no generated model has to carry them.
 */
public class FlowcastEnginePlugin extends AbstractProcessEnginePlugin {

  private final BpmnParseListener composedProcessListener;

  FlowcastEnginePlugin(BpmnParseListener composedProcessListener) {
    this.composedProcessListener = composedProcessListener;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(composedProcessListener);
  }
}
