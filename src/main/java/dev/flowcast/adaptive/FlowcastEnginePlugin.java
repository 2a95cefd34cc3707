package dev.flowcast.adaptive;

import java.util.ArrayList;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;

/**
 * Flowcast's engine plugin. It only registers: a parse listener that gives every composed process
 * and every task component the listeners Flowcast needs (steps measured, reservations released),
 * so no model has to carry them, and a history handler that turns the processes users start into
 * activity.
 */
public class FlowcastEnginePlugin extends AbstractProcessEnginePlugin {

  private final BpmnParseListener composedProcessListener;
  private final HistoryEventHandler activityCapture;

  FlowcastEnginePlugin(BpmnParseListener composedProcessListener, HistoryEventHandler activityCapture) {
    this.composedProcessListener = composedProcessListener;
    this.activityCapture = activityCapture;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(composedProcessListener);
    // Beside the default database handler, which stays on: history is still written as usual.
    if (configuration.getCustomHistoryEventHandlers() == null) {
      configuration.setCustomHistoryEventHandlers(new ArrayList<>());
    }
    configuration.getCustomHistoryEventHandlers().add(activityCapture);
  }
}
