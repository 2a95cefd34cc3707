package dev.flowcast.adaptive;

import dev.flowcast.adaptive.InstanceState.StepState;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Recomposer.Recomposition;
import dev.flowcast.composer.ScoredWorkflow;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.ReservationLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationException;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstanceModificationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Switches one degraded instance: re-composes its remaining steps, and when an alternative beats
 * staying by the margin, deploys it, migrates the instance with a validated plan (equal step ids
 * map), restarts a degraded restartable step on its alternative, and moves the reservations, all
 * in one transaction. Whatever the engine refuses leaves the instance as it was; every outcome is
 * a {@code SWITCH} decision.
 */
class InstanceSwitcher {

  private static final Logger log = LoggerFactory.getLogger(InstanceSwitcher.class);
  private static final int ALTERNATIVES_LOGGED = 5;

  /** The statuses of a {@code SWITCH} decision. */
  enum Status {
    /** Migrated to the new version; running steps go on where they are. */
    MIGRATED,
    /** Migrated, and a degraded restartable step cancelled and started again on its alternative. */
    RESTARTED,
    /** No alternative beats staying by the margin. */
    KEPT,
    /** The engine refused the migration plan or the modification: the instance is untouched. */
    REFUSED
  }

  /** What a switch leaves behind for the instance's end to compare with. */
  static final String SWITCHED_AT = "flowcastSwitchedAt";
  static final String STAY_ESTIMATE_SECONDS = "flowcastStayEstimateSeconds";
  static final String STAY_ESTIMATE_COST = "flowcastStayEstimateCost";
  static final String SWITCH_ESTIMATE_SECONDS = "flowcastSwitchEstimateSeconds";

  private final Recomposer recomposer;
  private final StepLog steps;
  private final RuntimeService runtime;
  private final ReservationLedger ledger;
  private final DecisionLog decisions;
  private final TransactionTemplate transaction;
  private final FlowcastProperties.Adaptive settings;
  private final Supplier<Instant> clock;
  private final Clock wallClock;

  InstanceSwitcher(Recomposer recomposer, StepLog steps, RuntimeService runtime, ReservationLedger ledger,
      DecisionLog decisions,
      TransactionTemplate transaction, FlowcastProperties.Adaptive settings, Supplier<Instant> clock,
      Clock wallClock) {
    this.wallClock = wallClock;
    this.recomposer = recomposer;
    this.steps = steps;
    this.runtime = runtime;
    this.ledger = ledger;
    this.decisions = decisions;
    this.transaction = transaction;
    this.settings = settings;
    this.clock = clock;
  }

  /** Runs outside any transaction: each attempt commits (or rolls back) on its own. */
  Decision switchInstance(InstanceState instance, List<Degradation> degradations, ObservedDurations.Times times) {
    Degradation cause = degradations.stream().max(Comparator.comparingDouble(Degradation::severity)).orElseThrow();
    Set<String> restart = restartable(instance, degradations);
    Set<String> failed = instance.steps().stream().filter(s -> s.failure() != null).map(StepState::stepId)
        .collect(java.util.stream.Collectors.toSet());
    Set<String> finished = instance.stepsIn(StepState.Phase.FINISHED);
    Set<String> held = new HashSet<>(instance.stepsIn(StepState.Phase.RUNNING));
    held.removeAll(restart);
    Plan plan = new Plan();
    try {
      return transaction.execute(tx -> {
        Recomposition recomposition = recomposer.recompose(new Recomposer.Request(instance.workflow(),
            instance.user(), finished, held, instance.reserved()));
        plan.recomposition = recomposition;
        // Holding the capacity lock now (taken by the re-composition), so no other node's switch of
        // this instance is under way: one that committed since it was assessed has moved it already.
        ProcessInstance current = runtime.createProcessInstanceQuery()
            .processInstanceId(instance.processInstanceId()).singleResult();
        if (current == null || !current.getProcessDefinitionId().equals(instance.processDefinitionId())) {
          return record(instance, Status.KEPT, null, cause, degradations, recomposition, null, null, Set.of(),
              current == null ? "the instance ended since it was assessed"
                  : "switched since it was assessed (to " + current.getProcessDefinitionId() + "), by this node or"
                      + " another: not switched twice");
        }
        // a failed step does not finish where it is: staying is no option to weigh
        double stayScore = recomposition.stay() == null || !recomposition.stay().score().feasible() || !failed.isEmpty()
            ? Double.NEGATIVE_INFINITY : recomposition.stay().score().total();
        double staySeconds = remainingSeconds(instance, instance.workflow(), Set.of(), times);
        // better by the margin, and not expected to finish later than staying would
        ScoredWorkflow best = recomposition.alternatives().stream()
            .filter(s -> s.score().feasible() && s.score().total() >= stayScore + settings.margin())
            .filter(s -> rebound(restart, instance.workflow(), s.workflow()).containsAll(failed))
            .filter(s -> remainingSeconds(instance, s.workflow(), rebound(restart, instance.workflow(), s.workflow()),
                times) <= staySeconds)
            .findFirst().orElse(null);
        if (best == null) {
          ScoredWorkflow top = recomposition.best().orElse(null);
          Set<String> stuck = new HashSet<>(failed);
          stuck.removeAll(restart);
          if (!stuck.isEmpty()) {
            return record(instance, Status.KEPT, null, cause, degradations, recomposition, null, null, Set.of(),
                "failed step " + String.join(", ", new java.util.TreeSet<>(stuck)) + " is not restartable (its"
                    + " component does not declare flowcast.restartable): left to an operator, the incident stands");
          }
          return record(instance, Status.KEPT, null, cause, degradations, recomposition, null, null, Set.of(),
              top == null ? "no feasible alternative"
                  : String.format(Locale.ROOT, "no alternative beats staying (%.3f) by %.2f without finishing later"
                      + " (best scores %.3f)", stayScore, settings.margin(), top.score().total()));
        }
        // a degraded step is restarted only where the alternative binds it elsewhere
        Set<String> restarted = rebound(restart, instance.workflow(), best.workflow());
        plan.restarted = restarted;
        plan.target = recomposer.deploy(best.workflow());
        migrate(instance, plan.target, restarted);
        failed.forEach(stepId -> steps.failedInstead(instance.processInstanceId(), stepId));
        Set<String> remaining = new HashSet<>(instance.stepsIn(StepState.Phase.RUNNING));
        remaining.addAll(instance.stepsIn(StepState.Phase.PENDING));
        ledger.release(instance.processInstanceId());
        ledger.reserve(instance.processInstanceId(), best.workflow().only(remaining).peakDemandByPool());
        Remaining remainingTime = new Remaining(staySeconds,
            remainingSeconds(instance, best.workflow(), restarted, times));
        Map<String, Object> expectations = new HashMap<>();
        expectations.put(SWITCHED_AT, Date.from(clock.get()));
        expectations.put(STAY_ESTIMATE_SECONDS, remainingTime.staying());
        expectations.put(STAY_ESTIMATE_COST, recomposition.stay() == null ? null : recomposition.stay().score().costPerRun());
        expectations.put(SWITCH_ESTIMATE_SECONDS, remainingTime.switched());
        runtime.setVariables(instance.processInstanceId(), expectations);
        Status status = restarted.isEmpty() ? Status.MIGRATED : Status.RESTARTED;
        return record(instance, status, plan.target, cause, degradations, recomposition, best, remainingTime,
            restarted, String.format(Locale.ROOT, "switched to %s (score %.3f vs %s; remaining %.0f s vs %s)",
                changed(instance.workflow(), best.workflow()), best.score().total(),
                !failed.isEmpty() ? "staying never finishes"
                    : Double.isInfinite(stayScore) ? "staying does not fit" : String.format(Locale.ROOT, "%.3f for staying", stayScore),
                remainingTime.switched(), Double.isInfinite(remainingTime.staying()) ? "never"
                    : String.format(Locale.ROOT, "%.0f s", remainingTime.staying())));
      });
    } catch (MigrationPlanValidationException e) {
      return refused(instance, plan, cause, degradations, reasonsOf(e));
    } catch (MigratingProcessInstanceValidationException e) {
      return refused(instance, plan, cause, degradations, reasonsOf(e));
    } catch (ProcessEngineException e) {
      return refused(instance, plan, cause, degradations, List.of(e.getMessage()));
    } catch (RuntimeException e) {
      // e.g. the user may no longer start any component of a remaining step: nothing to switch to
      log.warn("FLOWCAST-034 could not re-compose {}: {}", instance.processInstanceId(), e.toString());
      return transaction.execute(tx -> record(instance, Status.KEPT, null, cause, degradations, plan.recomposition,
          null, null, Set.of(), "could not re-compose: " + e.getMessage()));
    }
  }

  /** Mutable holder: what got decided before the engine refused, for the log of the refusal. */
  private static final class Plan {
    Recomposition recomposition;
    String target;
    Set<String> restarted = Set.of();
  }

  /** A degraded running step may be restarted elsewhere only if its component says it is idempotent. */
  private static Set<String> restartable(InstanceState instance, List<Degradation> degradations) {
    Set<String> restart = new HashSet<>();
    for (StepState step : instance.steps()) {
      boolean degraded = degradations.stream().anyMatch(d -> d.degraded() && step.stepId().equals(d.stepId())
          && (d.reason() == Degradation.Reason.SLOW_STEP || d.reason() == Degradation.Reason.INTERRUPTION
              || d.reason() == Degradation.Reason.FAILED));
      if (step.phase() == StepState.Phase.RUNNING && degraded && step.task().component().restartable()) {
        restart.add(step.stepId());
      }
    }
    return restart;
  }

  /** The restartable steps whose binding the alternative changes. */
  private static Set<String> rebound(Set<String> restartable, Workflow from, Workflow to) {
    Set<String> rebound = new HashSet<>();
    for (String stepId : restartable) {
      Task before = from.task(stepId).orElseThrow();
      Task after = to.task(stepId).orElseThrow();
      if (!before.component().name().equals(after.component().name()) || !before.pool().equals(after.pool())) {
        rebound.add(stepId);
      }
    }
    return rebound;
  }

  private void migrate(InstanceState instance, String targetDefinitionId, Set<String> restart) {
    MigrationPlan plan = runtime.createMigrationPlan(instance.processDefinitionId(), targetDefinitionId)
        .mapEqualActivities()
        .build();
    runtime.newMigration(plan).processInstanceIds(instance.processInstanceId()).execute();
    if (!restart.isEmpty()) {
      // Start the new run first, then cancel the old one: cancelling the only running step first
      // leaves the instance's execution without its activity instance (the engine then fails to
      // build the activity instance tree).
      ActivityInstance tree = runtime.getActivityInstance(instance.processInstanceId());
      ProcessInstanceModificationBuilder modification =
          runtime.createProcessInstanceModification(instance.processInstanceId());
      for (String stepId : restart) {
        modification = modification.startBeforeActivity(stepId);
        for (ActivityInstance running : tree.getActivityInstances(stepId)) {
          modification = modification.cancelActivityInstance(running.getId());
        }
      }
      modification.execute();
    }
  }

  private Decision refused(InstanceState instance, Plan plan, Degradation cause, List<Degradation> degradations,
      List<String> reasons) {
    log.warn("FLOWCAST-030 the engine refused to switch {}: {}", instance.processInstanceId(), reasons);
    return transaction.execute(tx -> record(instance, Status.REFUSED, plan.target, cause, degradations,
        plan.recomposition, null, null, plan.restarted, "the engine refused: " + String.join("; ", reasons)));
  }

  private static List<String> reasonsOf(MigrationPlanValidationException e) {
    List<String> reasons = new ArrayList<>();
    e.getValidationReport().getInstructionReports().forEach(report ->
        report.getFailures().forEach(failure -> reasons.add(report.getMigrationInstruction() + ": " + failure)));
    e.getValidationReport().getVariableReports().forEach((name, report) ->
        report.getFailures().forEach(failure -> reasons.add("variable " + name + ": " + failure)));
    return reasons.isEmpty() ? List.of(e.getMessage()) : reasons;
  }

  private static List<String> reasonsOf(MigratingProcessInstanceValidationException e) {
    List<String> reasons = new ArrayList<>(e.getValidationReport().getFailures());
    e.getValidationReport().getActivityInstanceReports().forEach(report ->
        report.getFailures().forEach(failure -> reasons.add(report.getSourceScopeId() + ": " + failure)));
    e.getValidationReport().getTransitionInstanceReports().forEach(report ->
        report.getFailures().forEach(failure -> reasons.add(report.getSourceScopeId() + ": " + failure)));
    return reasons.isEmpty() ? List.of(e.getMessage()) : reasons;
  }

  private Decision record(InstanceState instance, Status status, String target, Degradation cause,
      List<Degradation> degradations, Recomposition recomposition, ScoredWorkflow chosen, Remaining remaining,
      Set<String> restart, String outcome) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", instance.processDefinitionId());
    details.put("to", target);
    details.put("cause", degradationDetails(cause));
    details.put("degradations", degradations.stream().filter(Degradation::degraded)
        .map(InstanceSwitcher::degradationDetails).toList());
    details.put("restartedSteps", restart.stream().sorted().toList());
    if (recomposition != null) {
      details.put("stay", recomposition.stay() == null ? null : recomposition.stay().explain());
      details.put("chosen", chosen == null ? null : chosen.explain());
      details.put("candidateCount", recomposition.candidateCount());
      details.put("alternatives", recomposition.alternatives().stream().limit(ALTERNATIVES_LOGGED)
          .map(ScoredWorkflow::explain).toList());
    }
    if (remaining != null) {
      details.put("estimatedRemainingSecondsStaying", remaining.staying());
      details.put("estimatedRemainingSecondsSwitched", remaining.switched());
    }
    details.values().removeIf(Objects::isNull);
    Decision decision = new Decision(Decision.newId(), wallClock.instant(), Decision.Kind.SWITCH, status.name(),
        instance.user(), instance.workflow().intent(), instance.processInstanceId(),
        target != null && status != Status.REFUSED ? target : instance.processDefinitionId(),
        cause.description() + ": " + outcome, details);
    decisions.record(decision);
    log.info("FLOWCAST-031 {} {}: {}", status, instance.processInstanceId(), decision.reason());
    return decision;
  }

  private static Map<String, Object> degradationDetails(Degradation degradation) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", degradation.reason().name());
    details.put("stepId", degradation.stepId());
    details.put("component", degradation.component());
    details.put("pool", degradation.pool());
    details.put("severity", degradation.severity());
    details.put("description", degradation.description());
    details.put("figures", degradation.figures());
    return details;
  }

  private static String changed(Workflow from, Workflow to) {
    List<String> changes = new ArrayList<>();
    for (Task task : to.tasks()) {
      Task before = from.task(task.stepId()).orElse(null);
      if (before == null || !before.component().name().equals(task.component().name())
          || !before.pool().equals(task.pool())) {
        changes.add(task.stepId() + "=" + task.component().name() + "@" + task.pool());
      }
    }
    return String.join(", ", changes);
  }

  /** The estimated remaining seconds of staying and of the version switched to. */
  private record Remaining(double staying, double switched) {}

  /** Remaining time along the longest path of the steps still to run, with what each is expected to take. */
  private double remainingSeconds(InstanceState instance, Workflow workflow, Set<String> restarted,
      ObservedDurations.Times times) {
    Instant now = clock.get();
    Map<String, Double> finishesAfter = new HashMap<>();
    double longest = 0;
    for (Task task : workflow.tasks()) {
      StepState state = instance.steps().stream().filter(s -> s.stepId().equals(task.stepId())).findFirst().orElse(null);
      double own;
      if (state != null && state.phase() == StepState.Phase.FINISHED) {
        own = 0;
      } else if (state != null && state.failure() != null && !restarted.contains(task.stepId())) {
        own = Double.POSITIVE_INFINITY; // a failed step left where it is never finishes
      } else if (state != null && state.phase() == StepState.Phase.RUNNING && !restarted.contains(task.stepId())) {
        double ran = Duration.between(state.startedAt(), now).toMillis() / 1000.0;
        own = Math.max(0, times.of(task.component()).expected().toMillis() / 1000.0 - ran);
      } else {
        own = times.of(task.component()).expected().toMillis() / 1000.0;
      }
      double start = workflow.dependenciesOf(task.stepId()).stream().mapToDouble(d -> finishesAfter.getOrDefault(d, 0.0))
          .max().orElse(0);
      finishesAfter.put(task.stepId(), start + own);
      longest = Math.max(longest, start + own);
    }
    return longest;
  }
}
