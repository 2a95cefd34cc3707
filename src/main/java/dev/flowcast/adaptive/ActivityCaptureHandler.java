package dev.flowcast.adaptive;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.ProcessKeys;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;

/**
 * The engine's own history as activity: every process a user starts becomes an event of theirs
 * (a composed workflow as its intent, any other process as {@code start:<key>}), written in the
 * engine's transaction beside the default history, which still handles every event.
 */
class ActivityCaptureHandler implements HistoryEventHandler {

  static final String OTHER_PROCESS_PREFIX = "start:";

  private final ActivityLog activity;

  ActivityCaptureHandler(ActivityLog activity) {
    this.activity = activity;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    if (event instanceof HistoricProcessInstanceEventEntity instance
        && event.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_START)
        && instance.getStartUserId() != null) {
      String key = instance.getProcessDefinitionKey();
      if (key == null || key.startsWith(ProcessKeys.COMPONENT_PREFIX) || key.equals(ProcessKeys.QUEUE)) {
        return;
      }
      String action = ProcessKeys.intentOf(key).orElse(OTHER_PROCESS_PREFIX + key);
      activity.append(List.of(new ActivityEvent(instance.getStartTime().toInstant(), instance.getStartUserId(), action,
          null, Map.of(), Map.of("processInstanceId", instance.getProcessInstanceId()))), ActivityLog.Source.ENGINE);
    }
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::handleEvent);
  }
}
