package dev.flowcast.composer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a chosen workflow under the capacity guarantee (decision 0033): the definition deployed
 * or remembered (the {@code deployment} row before any pool's), the start as the user, the decision
 * row, the check under the locks of the workflow's pools that it still fits, and the reservation;
 * in a transaction of its own, checked after the start, or in the caller's, checked before anything
 * is written. Also deploys ahead of a predicted request.
 */
class GuaranteedStart {

  /**
   * How long a started composition holds the capacity guarantee: from the moment it has the locks
   * of its workflow's pools to the end of its transaction, which lets the next request on those
   * pools have them. One over this is the most compositions per second a cluster can start in one
   * pool.
   */
  static final String METRIC_HOLD = "flowcast.compositions.capacity.hold";

  private final Deployer deployer;
  private final RuntimeService runtime;
  private final IdentityService identity;
  private final TransactionTemplate transaction;
  private final ReservationLedger ledger;
  private final DecisionLog decisions;
  private final MeterRegistry meters;
  private final ObjectMapper json;
  private final ResourceMonitor monitor;
  private final Scorer scorer;
  private final FlowcastProperties properties;
  private final Clock clock;

  GuaranteedStart(
      Deployer deployer, RuntimeService runtime, IdentityService identity, TransactionTemplate transaction,
      ReservationLedger ledger, DecisionLog decisions, MeterRegistry meters, ObjectMapper json,
      ResourceMonitor monitor, Scorer scorer, FlowcastProperties properties, Clock clock) {
    this.deployer = deployer;
    this.runtime = runtime;
    this.identity = identity;
    this.transaction = transaction;
    this.ledger = ledger;
    this.decisions = decisions;
    this.meters = meters;
    this.json = json;
    this.monitor = monitor;
    this.scorer = scorer;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Starts {@code chosen} and reserves it in a transaction of the composer's own (the caller has
   * none): the definition, the start as the user and the decision row, then the pools' locks, the
   * check and the reservation, held only to the commit. Throws {@link NoLongerFits} when another
   * request took the capacity meanwhile, with that transaction rolled back (no instance, no
   * decision row, nothing reserved), and {@link RememberedDefinitionGone} likewise.
   */
  CompositionResult startInATransactionOfItsOwn(
      CompositionRequest request, String decisionId, IntentPrediction prediction, ScoredWorkflow chosen,
      List<ScoredWorkflow> scored, List<String> groups, double probability, Instant now) {
    Explanation explained = explain(request, prediction, chosen, scored);
    deployAhead(chosen.workflow());
    return transaction.execute(tx -> start(request, decisionId, prediction, explained, scored, groups,
        new Reservation.StartedFirst(probability, now)));
  }

  /**
   * Starts {@code chosen} within the transaction the caller has open (the queue's job): the
   * definition, then the pools' locks and the check, and only when it fits the start, the decision
   * row and the reservation. Throws {@link NoLongerFits} or {@link RememberedDefinitionGone} with
   * nothing of the start written (the pools' releases may have been subtracted from their totals,
   * which is any holder's to do), the caller's transaction not marked rollback-only.
   */
  CompositionResult startInTheCallersTransaction(
      CompositionRequest request, String decisionId, IntentPrediction prediction, ScoredWorkflow chosen,
      List<ScoredWorkflow> scored, List<String> groups, Instant now) {
    Explanation explained = explain(request, prediction, chosen, scored);
    return start(request, decisionId, prediction, explained, scored, groups,
        new Reservation.CheckedFirst(prediction.probabilityOf(request.intent()), now));
  }

  /**
   * Starts the static binding {@code fixed} as a static process would (shadow mode), whatever is
   * free; {@code wouldBe} is what Flowcast would have chosen, none when it would have queued.
   */
  CompositionResult startStatically(
      CompositionRequest request, String decisionId, IntentPrediction prediction, ScoredWorkflow fixed,
      List<ScoredWorkflow> scored, List<String> groups, ScoredWorkflow wouldBe) {
    Explanation explained = explain(request, prediction, fixed, scored);
    deployAhead(fixed.workflow());
    return transaction.execute(tx -> start(request, decisionId, prediction, explained, scored, groups,
        new Reservation.Static(wouldBe)));
  }

  /**
   * Deploys the workflow, unless this node remembers its definition, in a transaction of its own
   * committed before the start's: a start rolled back because the workflow no longer fits then
   * undoes no deployment. The engine undoes a rolled-back deployment after the rollback in a
   * command of its own, on a second connection while the first is still held; with as many
   * requests rolling back at once as the pool has connections, each waited for another's until the
   * pool's time-out. The deployment lock is let go at once too, rather than held across the start
   * and the pools' locks.
   */
  private void deployAhead(Workflow workflow) {
    if (!deployer.remembers(workflow)) {
      transaction.executeWithoutResult(tx -> deployer.rememberedOrDeploy(workflow));
    }
  }

  /** Deploys ahead of a predicted request; logs a decision only when something new was deployed. */
  CompositionResult prepare(CompositionRequest request, String decisionId, IntentPrediction prediction,
      ScoredWorkflow best, List<ScoredWorkflow> scored) {
    Deployer.Deployed deployed = deployer.deploy(best.workflow());
    String reason = String.format(Locale.ROOT, "pre-composed for a predicted request (p = %.2f): %s",
        prediction.probabilityOf(request.intent()), best.workflow().describe());
    if (deployed.created()) {
      decisions.record(new Decision(decisionId, clock.instant(), Decision.Kind.PRECOMPOSED, Status.PREPARED.name(),
          request.user(), request.intent(), null, deployed.definition().getId(), reason,
          DefaultComposer.details(request, prediction, best, scored)));
    }
    return new CompositionResult(decisionId, Status.PREPARED, request.intent(), null, deployed.definition().getId(),
        best, WorkflowChooser.alternatives(scored, best, properties), prediction.source(), reason);
  }

  private Timer holdTimer() {
    return Timer.builder(METRIC_HOLD).publishPercentiles(0.5, 0.99).register(meters);
  }

  /**
   * How a started composition holds its capacity: within what is free, checked under the locks of
   * its pools, after the start (in a transaction of the composer's own, rolled back when it no longer
   * fits) or before it (in the caller's transaction, which nothing may mark rollback-only); or, as a
   * static process would (shadow mode), whatever is free.
   */
  private sealed interface Reservation {

    /** Started, then checked that the workflow still fits, at {@code at}, for a request of this probability. */
    record StartedFirst(double probability, Instant at) implements Reservation {}

    /** Checked that the workflow still fits before anything is started or written. */
    record CheckedFirst(double probability, Instant at) implements Reservation {}

    /** Started and reserved whether it fits or not; {@code wouldBe} is what Flowcast would have chosen. */
    record Static(ScoredWorkflow wouldBe) implements Reservation {}
  }

  /**
   * Holds the workflow's pools until the transaction ends and checks that it still fits what is
   * free now; not fitting any more throws {@link NoLongerFits}.
   */
  private void holdAndCheck(Workflow workflow, double probability, Instant at) {
    ledger.holdPools(workflow.peakDemandByPool().keySet());
    long held = System.nanoTime();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      // the locks are let go at the commit (or the rollback): that is where the hold ends
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          holdTimer().record(System.nanoTime() - held, TimeUnit.NANOSECONDS);
        }
      });
    }
    // the workflow's pools alone: one total per pool, and no other pool's is read under the locks
    Set<String> pools = new HashSet<>(workflow.peakDemandByPool().keySet());
    workflow.tasks().forEach(task -> pools.add(task.pool()));
    if (!scorer.stillFits(workflow, probability, monitor.profile(at, pools))) {
      throw new NoLongerFits();
    }
  }

  /** The chosen workflow no longer fits what is free: roll its start back, or do not start it. */
  static final class NoLongerFits extends RuntimeException {
    NoLongerFits() {
      super("the chosen workflow no longer fits what is free", null, false, false);
    }
  }

  /** The decision row of a composition that starts {@code chosen}: its reason, and its details rendered as JSON. */
  private record Explanation(ScoredWorkflow chosen, String reason, Map<String, Object> details) {}

  private Explanation explain(
      CompositionRequest request, IntentPrediction prediction, ScoredWorkflow chosen, List<ScoredWorkflow> scored) {
    String reason = "best of " + scored.size() + " candidates: " + chosen.workflow().describe()
        + String.format(Locale.ROOT, " (score %.3f)", chosen.score().total());
    Map<String, Object> details = DefaultComposer.details(request, prediction, chosen, scored);
    details.replaceAll((name, value) -> value instanceof Map || value instanceof List ? rendered(value) : value);
    return new Explanation(chosen, reason, details);
  }

  private RawValue rendered(Object value) {
    try {
      return new RawValue(json.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the details of a composition are plain values: " + e.getMessage(), e);
    }
  }

  private CompositionResult start(
      CompositionRequest request, String decisionId, IntentPrediction prediction,
      Explanation explained, List<ScoredWorkflow> scored, List<String> groups, Reservation reservation) {
    ScoredWorkflow best = explained.chosen();
    ScoredWorkflow shadowed = reservation instanceof Reservation.Static s ? s.wouldBe() : null;
    // the deployment row (when deploying) before any pool's: the one order of the locks
    Deployer.Deployed deployed = deployer.rememberedOrDeploy(best.workflow());
    if (reservation instanceof Reservation.CheckedFirst first) {
      holdAndCheck(best.workflow(), first.probability(), first.at());
    }
    ProcessDefinition definition = deployed.definition();
    Map<String, Object> variables = new HashMap<>(request.parameters());
    variables.put(ProcessVariables.DECISION_ID, decisionId);
    variables.put(ProcessVariables.USER, request.user());
    variables.put(ProcessVariables.INTENT, request.intent());
    ProcessInstance instance;
    try {
      instance = startAs(request.user(), groups, definition, decisionId, variables);
    } catch (NotFoundException e) {
      if (!deployed.remembered()) {
        throw e;
      }
      // its deployment was deleted since this node remembered it
      deployer.forget(best.workflow());
      throw new RememberedDefinitionGone(e);
    }
    String reason = explained.reason();
    Map<String, Object> details = new LinkedHashMap<>(explained.details());
    if (reservation instanceof Reservation.Static || properties.modeOf(request.intent()) == FlowcastProperties.Mode.SHADOW) {
      reason = shadowReason(best, shadowed);
      details.put("shadow", true);
      details.put("static", shadowSide(best));
      details.put("wouldBe", shadowed == null ? Map.of("queued", true) : shadowSide(shadowed));
    }
    decisions.record(
        new Decision(decisionId, clock.instant(), Decision.Kind.COMPOSITION, Status.STARTED.name(),
            request.user(), request.intent(), instance.getId(), definition.getId(), reason, details));
    if (reservation instanceof Reservation.StartedFirst after) {
      // last, so that the pools are held for the check, the reservation and the commit alone
      holdAndCheck(best.workflow(), after.probability(), after.at());
    }
    ledger.reserve(instance.getId(), best.workflow().peakDemandByPool());
    return new CompositionResult(decisionId, Status.STARTED, request.intent(), instance.getId(),
        definition.getId(), best, WorkflowChooser.alternatives(scored, best, properties), prediction.source(), reason);
  }

  private static String shadowReason(ScoredWorkflow ran, ScoredWorkflow wouldBe) {
    String started = "shadow: ran the static binding " + ran.workflow().describe()
        + String.format(Locale.ROOT, " (score %.3f, %s, %.0f s)", ran.score().total(), ran.costPerRunInWords(),
            ran.workflow().declaredSeconds());
    if (wouldBe == null) {
      return started + "; Flowcast would have queued the request (nothing fits the projected capacity)";
    }
    return started + "; Flowcast would have chosen " + wouldBe.workflow().describe()
        + String.format(Locale.ROOT, " (score %.3f, %s, %.0f s)", wouldBe.score().total(), wouldBe.costPerRunInWords(),
            wouldBe.workflow().declaredSeconds());
  }

  private static Map<String, Object> shadowSide(ScoredWorkflow side) {
    Map<String, Object> explained = new LinkedHashMap<>(side.explain());
    explained.put("expectedSeconds", side.workflow().declaredSeconds());
    return explained;
  }

  /** A start on a remembered definition failed: the composition is worth one more try. */
  static final class RememberedDefinitionGone extends RuntimeException {
    RememberedDefinitionGone(NotFoundException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Starts as the user, so the engine checks its own authorizations too and history knows who. */
  private ProcessInstance startAs(
      String user, List<String> groups, ProcessDefinition definition, String businessKey,
      Map<String, Object> variables) {
    identity.setAuthentication(user, groups);
    try {
      return ComposerStarts.run(() -> runtime
          .createProcessInstanceById(definition.getId())
          .businessKey(businessKey)
          .setVariables(variables)
          .execute());
    } catch (AuthorizationException e) {
      throw new NotAuthorizedException("not authorized by the engine: " + e.getMessage(), businessKey);
    } finally {
      identity.clearAuthentication();
    }
  }
}
