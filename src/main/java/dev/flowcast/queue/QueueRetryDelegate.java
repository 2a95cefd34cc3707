package dev.flowcast.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.composer.UnknownIntentException;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's service task ({@code ${flowcastQueueRetry}}): composes the queued request again and
 * tells the queue process how it went in {@code queueStatus}, when it is the request's turn
 * ({@link QueueTurns}), and else sets how long it waits before it looks again; a start, and an
 * expiry, pull the next turn forward ({@link QueuePull}). Every try is a logged decision.
 */
class QueueRetryDelegate implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(QueueRetryDelegate.class);
  private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};

  private final Composer composer;
  private final DecisionLog decisions;
  private final ObjectMapper json;
  private final Clock clock;
  private final QueueTurns turns;
  private final QueuePull pull;

  QueueRetryDelegate(Composer composer, DecisionLog decisions, ObjectMapper json, Clock clock, QueueTurns turns,
      QueuePull pull) {
    this.composer = composer;
    this.decisions = decisions;
    this.json = json;
    this.clock = clock;
    this.turns = turns;
    this.pull = pull;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String user = ProcessVariables.string(execution, ProcessVariables.USER);
    String intent = ProcessVariables.string(execution, ProcessVariables.INTENT);
    Date deadline = ProcessVariables.date(execution, ProcessVariables.DEADLINE);
    Instant now = clock.instant();
    if (deadline == null || !now.isBefore(deadline.toInstant())) {
      // the requests behind it may be waiting several ticks: the next deadline's turn comes now
      pull.afterCommit();
      finish(execution, "EXPIRED", Decision.Kind.EXPIRED, user, intent, null,
          "deadline " + (deadline == null ? "missing" : deadline.toInstant()) + " passed before capacity was free");
      return;
    }
    long ticksToWait = turns.ticksToWait(deadline);
    if (ticksToWait > 0) {
      // not its turn: earlier deadlines go first, and a tick composes only so many
      waitFor(execution, turns.waitOf(ticksToWait, deadline));
      setForThisTransaction(execution, ProcessVariables.QUEUE_STATUS, Status.QUEUED.name());
      return;
    }
    CompositionRequest request =
        new CompositionRequest(user, intent, parameters(execution), deadline.toInstant(),
            CompositionRequest.Origin.QUEUE);
    CompositionResult result;
    try {
      result = composer.compose(request);
    } catch (UnknownIntentException e) {
      finish(execution, Status.REJECTED.name(), Decision.Kind.QUEUE_RETRY, user, intent, null, e.getMessage());
      return;
    }
    if (result.status() == Status.STARTED) {
      execution.setVariable(ProcessVariables.STARTED_INSTANCE, result.processInstanceId());
      pull.afterCommit();
    } else if (result.status() == Status.QUEUED) {
      turns.missed();
      waitFor(execution, turns.waitOf(1, deadline));
    }
    String status = result.status().name();
    finish(execution, status, Decision.Kind.QUEUE_RETRY, user, intent, result.processInstanceId(),
        result.reason());
  }

  /** The wait at the queue's timer before this request looks again (the timer reads it when it is created). */
  private static void waitFor(DelegateExecution execution, Duration wait) {
    setForThisTransaction(execution, ProcessVariables.RETRY_INTERVAL, wait.toString());
  }

  /**
   * A value that the queue process reads in this transaction only (the timer as it is created, the
   * outcome's gateway): kept nowhere, so a retry writes no variable rows. An instance queued by an
   * earlier version, or started through the engine's API with the variable, keeps it, and it is
   * updated instead (the engine refuses a transient value over a kept one).
   */
  private static void setForThisTransaction(DelegateExecution execution, String name, String value) {
    TypedValue current = execution.getVariableTyped(name);
    if (current == null || current.isTransient()) {
      execution.setVariable(name, Variables.stringValue(value, true));
    } else if (!value.equals(current.getValue())) {
      execution.setVariable(name, value);
    }
  }

  private void finish(
      DelegateExecution execution, String status, Decision.Kind kind, String user, String intent,
      String startedInstance, String reason) {
    setForThisTransaction(execution, ProcessVariables.QUEUE_STATUS, status);
    Map<String, Object> details =
        startedInstance == null ? Map.of() : Map.of("startedProcessInstanceId", startedInstance);
    decisions.record(
        new Decision(Decision.newId(), clock.instant(), kind, status, user, intent,
            execution.getProcessInstanceId(), execution.getProcessDefinitionId(), reason, details));
    log.info("FLOWCAST-020 queued request {} ({} for {}): {} - {}",
        execution.getProcessBusinessKey(), intent, user, status, reason);
  }

  private Map<String, Object> parameters(DelegateExecution execution) {
    String text = ProcessVariables.string(execution, ProcessVariables.PARAMETERS);
    if (text == null) {
      return Map.of();
    }
    try {
      return json.readValue(text, PARAMETERS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("queued parameters are not JSON: " + e.getMessage(), e);
    }
  }
}
