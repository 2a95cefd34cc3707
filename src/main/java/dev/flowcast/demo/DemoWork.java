package dev.flowcast.demo;

import java.time.Clock;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The real part of a demo component that runs in the engine (its queries and rows), in the job's
 * own transaction, or the failure injected for it ({@link DemoFaults}). It does not wait: what the
 * work would still take is the component's timer ({@link DemoPace}), so the job ends at once and
 * gives its thread and its connection back.
 */
final class DemoWork implements JavaDelegate {

  private final JavaDelegate work;
  private final DemoFaults faults;
  private final Clock clock;

  DemoWork(JavaDelegate work, DemoFaults faults, Clock clock) {
    this.work = work;
    this.faults = faults;
    this.clock = clock;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    String component = DemoPace.componentOf(execution);
    if (component != null && faults.failing(component, clock.instant())) {
      throw new IllegalStateException("injected failure: " + component + " fails (demo fault injection)");
    }
    work.execute(execution);
  }
}
