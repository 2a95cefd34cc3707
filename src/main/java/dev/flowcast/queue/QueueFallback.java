package dev.flowcast.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.composer.Fallback;
import dev.flowcast.composer.ScoredWorkflow;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;

/**
 * Queues a request that nothing fits in the {@code flowcast-queue} process, which composes it
 * again on a timer until it starts or its deadline passes, and asks for the capacity the best
 * candidate lacked (a logged, counted {@code CAPACITY_REQUESTED} decision).
 */
class QueueFallback implements Fallback {

  static final String METRIC_CAPACITY_REQUESTED = "flowcast.capacity.requested";

  private final RuntimeService runtime;
  private final DecisionLog decisions;
  private final ResourceMonitor monitor;
  private final MeterRegistry meters;
  private final ObjectMapper json;
  private final FlowcastProperties.Queue settings;
  private final Clock clock;

  static final String METRIC_QUEUE_LENGTH = "flowcast.queue.length";

  QueueFallback(
      RuntimeService runtime, DecisionLog decisions, ResourceMonitor monitor, MeterRegistry meters,
      ObjectMapper json, FlowcastProperties.Queue settings, Clock clock) {
    this.runtime = runtime;
    this.decisions = decisions;
    this.monitor = monitor;
    this.meters = meters;
    this.json = json;
    this.settings = settings;
    this.clock = clock;
    // read from the engine at each scrape: the same figure on every node of a cluster
    Gauge.builder(METRIC_QUEUE_LENGTH, runtime,
            engine -> engine.createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE).active().count())
        .description("requests waiting in the flowcast-queue process")
        .strongReference(true)
        .register(meters);
  }

  @Override
  public CompositionResult nothingFits(Unfitted attempt) {
    CompositionRequest request = attempt.request();
    String decisionId = attempt.decisionId();
    List<ScoredWorkflow> scored = attempt.scored();
    Instant now = clock.instant();
    Instant deadline = request.deadline() != null ? request.deadline() : now.plus(settings.deadline());
    // Every variable kept is three rows written (runtime, history, history detail) with their indexes,
    // on the request's thread: the decision id is the business key, a request without parameters
    // keeps none, and the first wait is read by the timer as it is created, in this transaction.
    String firstWait = settings.retryInterval().toString();
    VariableMap variables = Variables.createVariables()
        .putValue(ProcessVariables.USER, request.user())
        .putValue(ProcessVariables.INTENT, request.intent())
        .putValue(ProcessVariables.DEADLINE, Date.from(deadline))
        .putValueTyped(ProcessVariables.RETRY_INTERVAL, Variables.stringValue(firstWait, true));
    if (!request.parameters().isEmpty()) {
      variables.put(ProcessVariables.PARAMETERS, toJson(request.parameters()));
    }
    ScoredWorkflow best = scored.isEmpty() ? null : scored.get(0);
    if (best != null) {
      variables.put(ProcessVariables.QUEUED_DEMAND, QueuedDemand.toJson(json, best.workflow().peakDemandByPool()));
    }
    ProcessInstance queued = runtime.startProcessInstanceByKey(ProcessKeys.QUEUE, decisionId, variables);

    Map<String, Object> details = new LinkedHashMap<>(attempt.details());
    details.put("deadline", deadline.toString());
    String queuedReason = attempt.reason() + "; queued until " + deadline;
    decisions.record(
        new Decision(decisionId, now, Decision.Kind.COMPOSITION, Status.QUEUED.name(), request.user(),
            request.intent(), queued.getId(), queued.getProcessDefinitionId(), queuedReason, details));
    requestCapacity(request, queued.getId(), best, now);
    return new CompositionResult(decisionId, Status.QUEUED, request.intent(), queued.getId(),
        queued.getProcessDefinitionId(), best, scored.stream().skip(1).limit(3).toList(),
        attempt.prediction().source(), queuedReason);
  }

  private void requestCapacity(CompositionRequest request, String queueInstanceId, ScoredWorkflow best, Instant now) {
    Map<String, Object> shortfall = new LinkedHashMap<>();
    if (best != null) {
      ResourceProfile profile = monitor.profile(now);
      best.workflow().peakDemandByPool().forEach((pool, demand) -> {
        ResourceDemand free = profile.pool(pool).map(PoolCapacity::available).orElse(ResourceDemand.NONE);
        shortfall.put(pool, Map.of("needed", demand, "available", free, "missing", demand.minusClamped(free)));
      });
    }
    decisions.record(
        new Decision(Decision.newId(), now, Decision.Kind.CAPACITY_REQUESTED, "REQUESTED", request.user(),
            request.intent(), queueInstanceId, null, "no candidate fits the free capacity",
            Map.of("shortfall", shortfall)));
    meters.counter(METRIC_CAPACITY_REQUESTED, "intent", request.intent()).increment();
  }

  private String toJson(Map<String, Object> parameters) {
    try {
      return json.writeValueAsString(parameters);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request parameters are not serializable: " + e.getMessage(), e);
    }
  }
}
