package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.ReservationLedger;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * When a composed instance ends, completed or cancelled, in the same transaction: releases what it
 * reserved (the ledger never holds capacity for an instance that is gone) and, if it was switched,
 * logs how the switch turned out against the estimate for staying.
 */
class InstanceEndListener implements ExecutionListener {

  private final ReservationLedger ledger;
  private final StepLog steps;
  private final DecisionLog decisions;
  private final Supplier<Instant> clock;
  private final Clock wallClock;

  InstanceEndListener(ReservationLedger ledger, StepLog steps, DecisionLog decisions, Supplier<Instant> clock,
      Clock wallClock) {
    this.wallClock = wallClock;
    this.ledger = ledger;
    this.steps = steps;
    this.decisions = decisions;
    this.clock = clock;
  }

  @Override
  public void notify(DelegateExecution execution) {
    ledger.release(execution.getProcessInstanceId());
    if (execution.getVariable(InstanceSwitcher.SWITCHED_AT) instanceof Date switchedAt) {
      recordOutcome(execution, switchedAt.toInstant());
    }
  }

  private void recordOutcome(DelegateExecution execution, Instant switchedAt) {
    Instant now = clock.get();
    double actualSeconds = Duration.between(switchedAt, now).toMillis() / 1000.0;
    double stayEstimate = number(execution.getVariable(InstanceSwitcher.STAY_ESTIMATE_SECONDS));
    double switchEstimate = number(execution.getVariable(InstanceSwitcher.SWITCH_ESTIMATE_SECONDS));
    double actualCost = steps.runsOf(execution.getProcessInstanceId()).stream()
        .filter(run -> run.endedAt() != null && !run.endedAt().isBefore(switchedAt))
        .map(StepRun::cost).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sum();
    Object stayCost = execution.getVariable(InstanceSwitcher.STAY_ESTIMATE_COST);
    boolean completed = !execution.isCanceled();
    String status = !completed ? "CANCELLED" : actualSeconds <= stayEstimate ? "FASTER" : "SLOWER";
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("switchedAt", switchedAt.toString());
    details.put("actualSeconds", actualSeconds);
    details.put("estimatedSecondsStaying", stayEstimate);
    details.put("estimatedSecondsSwitched", switchEstimate);
    details.put("actualCostOfStepsSinceSwitch", actualCost);
    details.put("estimatedCostStaying", stayCost);
    decisions.record(new Decision(Decision.newId(), wallClock.instant(), Decision.Kind.SWITCH_OUTCOME, status,
        ProcessVariables.string(execution, ProcessVariables.USER),
        ProcessVariables.string(execution, ProcessVariables.INTENT),
        execution.getProcessInstanceId(), execution.getProcessDefinitionId(),
        String.format(Locale.ROOT, "%s: %.1f s after the switch, against %.1f s estimated for staying (%.1f s for the switch)",
            completed ? "completed" : "cancelled", actualSeconds, stayEstimate, switchEstimate),
        details));
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
