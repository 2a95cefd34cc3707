package dev.flowcast.adaptive;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/** On every step (call activity) of a composed process: measures it from its start to its end. */
class StepListener implements ExecutionListener {

  private final StepBinding binding;
  private final StepRecorder recorder;

  StepListener(StepBinding binding, StepRecorder recorder) {
    this.binding = binding;
    this.recorder = recorder;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (EVENTNAME_START.equals(execution.getEventName())) {
      recorder.started(execution, binding);
    } else {
      recorder.ended(execution, binding);
    }
  }
}
