package dev.flowcast.adaptive;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.ComposerStarts;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * A composed process ({@code flowcast-<intent>}) or a task component ({@code component-*}) started
 * without the composer — through the engine's REST API, Cockpit's or Tasklist's start form — still
 * holds capacity: it reserves what its steps (or the component) need, like a composed start, so the
 * composer plans with it, and it is logged as a {@code DIRECT_START} decision with who started it.
 * It is accounted for, not refused: Camunda users keep starting processes the way they know.
 * Components that a composed step calls are the step's, already reserved.
 */
class DirectStartListener implements ExecutionListener {

  private final Supplier<Recomposer> recomposer;
  private final Supplier<ComponentLibrary> components;
  private final PriceCatalog prices;
  private final ReservationLedger ledger;
  private final DecisionLog decisions;
  private final Clock clock;

  DirectStartListener(Supplier<Recomposer> recomposer, Supplier<ComponentLibrary> components, PriceCatalog prices,
      ReservationLedger ledger, DecisionLog decisions, Clock clock) {
    this.recomposer = recomposer;
    this.components = components;
    this.prices = prices;
    this.ledger = ledger;
    this.decisions = decisions;
    this.clock = clock;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (ComposerStarts.underway() || execution.getSuperExecution() != null) {
      return;
    }
    String definitionId = execution.getProcessDefinitionId();
    String key = execution.getProcessEngineServices().getRepositoryService().getProcessDefinition(definitionId).getKey();
    Map<String, ResourceDemand> demand;
    String intent = null;
    if (ProcessKeys.isComposed(key)) {
      intent = ProcessKeys.intentOf(key).orElse(null);
      demand = recomposer.get().workflowOf(definitionId).map(Workflow::peakDemandByPool).orElse(Map.of());
    } else {
      String name = key.substring(ProcessKeys.COMPONENT_PREFIX.length());
      demand = components.get().components().stream().filter(c -> c.name().equals(name)).findFirst()
          .map(this::demandOf).orElse(Map.of());
    }
    ledger.reserve(execution.getProcessInstanceId(), demand);
    Authentication starter = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    String user = starter == null ? null : starter.getUserId();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("processDefinitionKey", key);
    details.put("reserved", demand);
    decisions.record(new Decision(Decision.newId(), clock.instant(), Decision.Kind.DIRECT_START, "ACCOUNTED",
        user, intent, execution.getProcessInstanceId(), definitionId,
        key + " was started without the composer" + (user == null ? "" : " by " + user)
            + ": its resources are reserved as if composed", details));
  }

  /** A component runs in its declared pool; one that may run anywhere is counted in the first pool offering it. */
  private Map<String, ResourceDemand> demandOf(TaskComponent component) {
    String pool = prices.pools().containsKey(component.pool()) ? component.pool()
        : prices.pools().keySet().stream().findFirst().orElse(component.pool());
    return Map.of(pool, component.requirements());
  }
}
