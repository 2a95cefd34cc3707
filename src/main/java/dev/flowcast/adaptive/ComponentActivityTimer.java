package dev.flowcast.adaptive;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * On every activity inside a task component: times it, as
 * {@code flowcast_component_activity_seconds{component,activity,outcome}}, so a slow step can be
 * traced to the part of its component that is slow. Kept in memory only: metrics, not records.
 */
class ComponentActivityTimer implements ExecutionListener {

  static final String METRIC = "flowcast.component.activity";
  /** Starts whose end ran on another node are forgotten past this many. */
  private static final int MAX_OPEN = 10_000;

  private final String component;
  private final MeterRegistry meters;
  private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();

  /** One per component definition: definition ids do not always start with the key. */
  ComponentActivityTimer(String component, MeterRegistry meters) {
    this.component = component;
    this.meters = meters;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String activityInstance = execution.getActivityInstanceId();
    if (EVENTNAME_START.equals(execution.getEventName())) {
      if (startedNanos.size() >= MAX_OPEN) {
        startedNanos.clear();
      }
      startedNanos.put(activityInstance, System.nanoTime());
      return;
    }
    Long started = startedNanos.remove(activityInstance);
    if (started == null) {
      return;
    }
    Timer.builder(METRIC)
        .description("Duration of the activities inside task components")
        .tag("component", component)
        .tag("activity", execution.getCurrentActivityId())
        .tag("outcome", execution.isCanceled() ? "CANCELLED" : "COMPLETED")
        .register(meters)
        .record(Duration.ofNanos(System.nanoTime() - started));
  }
}
