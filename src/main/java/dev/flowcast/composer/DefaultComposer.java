package dev.flowcast.composer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.flowcast.composer.CandidateGenerator.NoCandidateException;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * The composer of the specification: predict, generate candidates, filter by the user's rights,
 * score, select the best or fall back; then deploy (once per composition), start as the user, log
 * and reserve, in one transaction that holds the locks of the workflow's pools only from the check
 * that it still fits to the commit: a transaction of its own, or the caller's, checked there before
 * anything is written (decision 0033).
 */
class DefaultComposer implements Composer {

  static final String METRIC_COMPOSITIONS = "flowcast.compositions";
  /**
   * From the decision to the started instance: the deployed definition, the start as the user, the
   * decision row, the wait for the pools' locks and the time they are held (the check that the
   * choice still fits and the reservation), and any start rolled back because it no longer fit.
   */
  static final String METRIC_START = "flowcast.compositions.start";
  /**
   * How long a started composition holds the capacity guarantee: from the moment it has the locks
   * of its workflow's pools to the end of its transaction, which lets the next request on those
   * pools have them. One over this is the most compositions per second a cluster can start in one
   * pool.
   */
  static final String METRIC_HOLD = "flowcast.compositions.capacity.hold";
  private static final int CANDIDATES_LOGGED = 10;
  /** Starts tried while other requests keep taking the capacity chosen, before the request is queued. */
  private static final int START_ATTEMPTS = 3;

  private final TemplateLibrary templates;
  private final ComponentLibrary components;
  private final IntentPredictor predictor;
  private final ResourceMonitor monitor;
  private final ReservationLedger ledger;
  private final Scorer scorer;
  private final Fallback fallback;
  private final AuthorizationFilter authorization;
  private final Deployer deployer;
  private final DecisionLog decisions;
  private final RuntimeService runtime;
  private final IdentityService identity;
  private final TransactionTemplate transaction;
  private final MeterRegistry meters;
  private final FlowcastProperties properties;
  private final Clock clock;
  private final ObjectMapper json;
  private final ArrivingCapacity arriving;

  DefaultComposer(
      TemplateLibrary templates, ComponentLibrary components, IntentPredictor predictor,
      ResourceMonitor monitor, ReservationLedger ledger, Scorer scorer, Fallback fallback,
      AuthorizationFilter authorization, Deployer deployer, DecisionLog decisions,
      RuntimeService runtime, IdentityService identity, TransactionTemplate transaction,
      MeterRegistry meters, FlowcastProperties properties, Clock clock, ObjectMapper json,
      ArrivingCapacity arriving) {
    this.arriving = arriving;
    this.templates = templates;
    this.components = components;
    this.predictor = predictor;
    this.monitor = monitor;
    this.ledger = ledger;
    this.scorer = scorer;
    this.fallback = fallback;
    this.authorization = authorization;
    this.deployer = deployer;
    this.decisions = decisions;
    this.runtime = runtime;
    this.identity = identity;
    this.transaction = transaction;
    this.meters = meters;
    this.properties = properties;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public Set<String> intents() {
    return templates.intents();
  }

  @Override
  public Optional<Workflow> likelyBinding(String intent, Map<String, PricedPool> pools) {
    return templates.forIntent(intent).flatMap(template -> {
      try {
        return CheapestBinding.in(CandidateGenerator.candidates(template, components, pools.keySet(), c -> true,
            properties.composer().maxCandidates()), pools);
      } catch (CandidateGenerator.NoCandidateException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public CompositionResult compose(CompositionRequest asked) {
    Instant now = clock.instant();
    IntentPrediction prediction = predictor.predict(asked.user(), templates.intents(), now);
    String intent =
        asked.intent() != null
            ? asked.intent()
            : prediction.top().map(IntentPrediction.RankedIntent::intent)
                .orElseThrow(() -> new UnknownIntentException("(predicted)", templates.intents()));
    CompositionRequest request = asked.withIntent(intent);
    WorkflowTemplate template =
        templates.forIntent(intent).orElseThrow(() -> new UnknownIntentException(intent, templates.intents()));
    String decisionId = Decision.newId();
    List<String> groups = authorization.groupsOf(request.user());
    String processKey = ProcessKeys.composed(intent);
    boolean proactive = request.origin() == CompositionRequest.Origin.PROACTIVE;
    if (proactive && !(authorization.mayStart(request.user(), groups, processKey)
        && authorization.mayCreateInstances(request.user(), groups))) {
      return quietly(request, decisionId, prediction, "the user may not start " + processKey);
    }
    if (!authorization.mayStart(request.user(), groups, processKey)) {
      throw refuse(request, decisionId, prediction,
          "not authorized: CREATE_INSTANCE on process definition '" + processKey + "' is required");
    }
    if (!authorization.mayCreateInstances(request.user(), groups)) {
      throw refuse(request, decisionId, prediction,
          "not authorized: CREATE on resource PROCESS_INSTANCE is required");
    }
    CompositionResult result;
    try {
      try {
        result = composeAndReserve(request, template, decisionId, prediction, groups, now);
      } catch (RememberedDefinitionGone e) {
        // rolled back; the definition is found or deployed again, under a decision id of its own
        result = composeAndReserve(request, template, Decision.newId(), prediction, groups, now);
      }
    } catch (NoCandidateException | NotAuthorizedException e) {
      // the transaction has rolled back; the refusal is logged in a transaction of its own
      throw refuse(request, decisionId, prediction, e.getMessage());
    }
    meters.counter(METRIC_COMPOSITIONS, "intent", intent, "origin", request.origin().name(),
        "status", result.status().name()).increment();
    return result;
  }

  /**
   * Optimistic: the profile, the candidates with the user's rights and their scores are worked out
   * without any lock, the start and the decision row too; the chosen workflow's pools are locked
   * only to check that it still fits what is free now, reserve it and commit.
   */
  private CompositionResult composeAndReserve(
      CompositionRequest request, WorkflowTemplate template, String decisionId,
      IntentPrediction prediction, List<String> groups, Instant now) {
    String intent = request.intent();
    Map<String, Boolean> permitted = new HashMap<>();
    double probability = prediction.probabilityOf(intent);
    ResourceProfile early = monitor.profile(now);
    List<Workflow> candidates;
    try {
      candidates = candidates(request, template, groups, permitted, early);
    } catch (NoCandidateException e) {
      return transaction.execute(tx -> noCandidate(request, decisionId, prediction, e));
    }
    List<ScoredWorkflow> scored = scorer.score(candidates, probability, early);
    if (properties.modeOf(intent) == FlowcastProperties.Mode.SHADOW
        && request.origin() != CompositionRequest.Origin.PROACTIVE) {
      Optional<ScoredWorkflow> fixed = StaticBinding.among(scored, components);
      if (fixed.isPresent()) {
        // as a static process would: started whatever Flowcast would have chosen or projected
        ScoredWorkflow wouldBe = scored.stream().filter(s -> s.score().feasible()).findFirst().orElse(null);
        Explanation explained = explain(request, prediction, fixed.get(), scored);
        return transaction.execute(tx -> start(request, decisionId, prediction, explained, scored, groups,
            new Reservation.Static(wouldBe)));
      }
    }
    Optional<ScoredWorkflow> best = best(scored);
    if (best.isEmpty()) {
      // nothing is reserved when nothing fits: no capacity lock
      return transaction.execute(tx -> nothingFits(request, decisionId, prediction, scored));
    }
    if (request.origin() == CompositionRequest.Origin.PROACTIVE) {
      return transaction.execute(tx -> prepare(request, decisionId, prediction, best.get(), scored));
    }
    Instant deadline = request.deadline() != null ? request.deadline() : now.plus(properties.queue().deadline());
    Optional<ArrivingCapacity.Wait> wait =
        arriving.worthWaitingFor(best.get(), scored, probability, early, now, deadline);
    if (wait.isPresent()) {
      List<ScoredWorkflow> waitedFirst = new ArrayList<>(List.of(wait.get().candidate()));
      scored.stream().filter(s -> !s.workflow().equals(wait.get().candidate().workflow())).forEach(waitedFirst::add);
      return transaction.execute(tx -> waitFor(request, decisionId, prediction, waitedFirst, wait.get().reason()));
    }
    long asked = System.nanoTime();
    try {
      return TransactionSynchronizationManager.isActualTransactionActive()
          ? startInTheCallersTransaction(request, decisionId, prediction, groups, now, scored, best.get())
          : startWhileItFits(request, template, decisionId, prediction, groups, permitted, now, early, candidates,
              scored, best.get());
    } finally {
      meters.timer(METRIC_START, "intent", intent).record(System.nanoTime() - asked, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Starts the chosen workflow and reserves it in a transaction of its own (the caller has none);
   * the capacity guarantee is held only from the pools' locks to the commit. When another request
   * took the capacity meanwhile, the start is rolled back with that transaction (no instance, no
   * decision row, nothing reserved), and the request is scored again, without any lock, against
   * what is free then, under a new decision id: a few times, then it is queued.
   */
  private CompositionResult startWhileItFits(
      CompositionRequest request, WorkflowTemplate template, String firstDecisionId, IntentPrediction prediction,
      List<String> groups, Map<String, Boolean> permitted, Instant now, ResourceProfile early,
      List<Workflow> candidates, List<ScoredWorkflow> scored, ScoredWorkflow chosen) {
    double probability = prediction.probabilityOf(request.intent());
    List<ScoredWorkflow> tried = scored;
    ScoredWorkflow choice = chosen;
    String decisionId = firstDecisionId;
    for (int attempt = 1; ; attempt++) {
      Explanation explained = explain(request, prediction, choice, tried);
      List<ScoredWorkflow> scoredNow = tried;
      String attemptId = decisionId;
      try {
        return transaction.execute(tx -> start(request, attemptId, prediction, explained, scoredNow, groups,
            new Reservation.StartedFirst(probability, now)));
      } catch (NoLongerFits e) {
        // the rolled-back attempt's decision row is gone with it; what comes next is a decision of its own
        decisionId = Decision.newId();
        String nextId = decisionId;
        ResourceProfile again = monitor.profile(now);
        List<Workflow> regenerated;
        try {
          regenerated = again.pools().keySet().equals(early.pools().keySet())
              ? candidates : candidates(request, template, groups, permitted, again);
        } catch (NoCandidateException gone) {
          return transaction.execute(tx -> noCandidate(request, nextId, prediction, gone)); // the pools changed meanwhile
        }
        tried = scorer.score(regenerated, probability, again);
        Optional<ScoredWorkflow> bestNow = best(tried);
        List<ScoredWorkflow> queuedWith = tried;
        if (bestNow.isEmpty()) {
          return transaction.execute(tx -> nothingFits(request, nextId, prediction, queuedWith));
        }
        if (attempt >= START_ATTEMPTS) {
          String reason = "other requests took the capacity chosen " + attempt + " times in a row";
          return transaction.execute(tx -> waitFor(request, nextId, prediction, queuedWith, reason));
        }
        choice = bestNow.get();
      }
    }
  }

  /**
   * Starts the chosen workflow within a transaction the caller has open (a queued request retried
   * by the queue's job, whose engine command the start joins): nothing is written before the check
   * under the pools' locks, so a workflow that no longer fits leaves the caller's transaction as it
   * was, neither marked rollback-only nor holding a decision row, and the request stays queued for
   * its next turn. Tried once: choosing again while holding pools could deploy after them, against
   * the one lock order (the deployment row, then the pools by name). The pools are held until the
   * caller's transaction ends, with the start that commits in it.
   */
  private CompositionResult startInTheCallersTransaction(
      CompositionRequest request, String decisionId, IntentPrediction prediction, List<String> groups, Instant now,
      List<ScoredWorkflow> scored, ScoredWorkflow chosen) {
    Explanation explained = explain(request, prediction, chosen, scored);
    try {
      return start(request, decisionId, prediction, explained, scored, groups,
          new Reservation.CheckedFirst(prediction.probabilityOf(request.intent()), now));
    } catch (NoLongerFits e) {
      return waitFor(request, decisionId, prediction, scored,
          "another request took the capacity chosen (" + chosen.workflow().describe() + ") meanwhile");
    } catch (RememberedDefinitionGone e) {
      // forgotten now: its next turn deploys it again, before it holds any pool
      return waitFor(request, decisionId, prediction, scored,
          "the definition of " + chosen.workflow().describe() + " was deleted meanwhile");
    }
  }

  /**
   * No candidate at all: quietly nothing when proactive; a refusal, logged by the caller after the
   * transaction has rolled back, when it is for lack of rights; otherwise a rejection.
   */
  private CompositionResult noCandidate(CompositionRequest request, String decisionId, IntentPrediction prediction,
      NoCandidateException e) {
    if (request.origin() == CompositionRequest.Origin.PROACTIVE) {
      return quietly(request, decisionId, prediction, e.getMessage());
    }
    if (e.forLackOfRights() && request.origin() == CompositionRequest.Origin.REQUEST) {
      throw e;
    }
    return reject(request, decisionId, prediction, e.getMessage());
  }

  private List<Workflow> candidates(CompositionRequest request, WorkflowTemplate template, List<String> groups,
      Map<String, Boolean> permitted, ResourceProfile profile) {
    return CandidateGenerator.candidates(
        template, components, profile.pools().keySet(),
        c -> permitted.computeIfAbsent(c.processKey(), key -> authorization.mayStart(request.user(), groups, key)),
        properties.composer().maxCandidates());
  }

  private Optional<ScoredWorkflow> best(List<ScoredWorkflow> scored) {
    return scored.stream()
        .filter(s -> s.score().feasible())
        .filter(s -> s.score().total() >= properties.scoring().minimum())
        .findFirst();
  }

  /** Queued (or, for a queue retry, left queued), quietly dropped when proactive. */
  private CompositionResult nothingFits(CompositionRequest request, String decisionId, IntentPrediction prediction,
      List<ScoredWorkflow> scored) {
    return waitFor(request, decisionId, prediction, scored, nothingFitsReason(scored));
  }

  /** Queued for the first of {@code scored}, or left queued on a retry; quietly dropped when proactive. */
  private CompositionResult waitFor(CompositionRequest request, String decisionId, IntentPrediction prediction,
      List<ScoredWorkflow> scored, String reason) {
    if (request.origin() == CompositionRequest.Origin.PROACTIVE) {
      return quietly(request, decisionId, prediction, reason);
    }
    if (request.origin() == CompositionRequest.Origin.QUEUE) {
      return new CompositionResult(decisionId, Status.QUEUED, request.intent(), null, null,
          scored.isEmpty() ? null : scored.get(0), alternatives(scored, null), prediction.source(), reason);
    }
    return fallback.nothingFits(new Fallback.Unfitted(request, decisionId, prediction, scored, reason));
  }

  /** Deploys ahead of a predicted request; logs a decision only when something new was deployed. */
  private CompositionResult prepare(CompositionRequest request, String decisionId, IntentPrediction prediction,
      ScoredWorkflow best, List<ScoredWorkflow> scored) {
    Deployer.Deployed deployed = deployer.deploy(best.workflow());
    String reason = String.format(Locale.ROOT, "pre-composed for a predicted request (p = %.2f): %s",
        prediction.probabilityOf(request.intent()), best.workflow().describe());
    if (deployed.created()) {
      decisions.record(new Decision(decisionId, clock.instant(), Decision.Kind.PRECOMPOSED, Status.PREPARED.name(),
          request.user(), request.intent(), null, deployed.definition().getId(), reason,
          details(request, prediction, best, scored)));
    }
    return new CompositionResult(decisionId, Status.PREPARED, request.intent(), null, deployed.definition().getId(),
        best, alternatives(scored, best), prediction.source(), reason);
  }

  /** A proactive composition that cannot be prepared: nothing to log, nothing to queue. */
  private static CompositionResult quietly(CompositionRequest request, String decisionId, IntentPrediction prediction,
      String reason) {
    return new CompositionResult(decisionId, Status.REJECTED, request.intent(), null, null, null, List.of(),
        prediction.source(), reason);
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
    // the workflow's pools alone: their sums are the same, and no other pool's are read under the locks
    Set<String> pools = new HashSet<>(workflow.peakDemandByPool().keySet());
    workflow.tasks().forEach(task -> pools.add(task.pool()));
    if (!scorer.stillFits(workflow, probability, monitor.profile(at, pools))) {
      throw new NoLongerFits();
    }
  }

  /** The chosen workflow no longer fits what is free: roll its start back, or do not start it. */
  private static final class NoLongerFits extends RuntimeException {
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
    Map<String, Object> details = details(request, prediction, chosen, scored);
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
        definition.getId(), best, alternatives(scored, best), prediction.source(), reason);
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
  private static final class RememberedDefinitionGone extends RuntimeException {
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

  /** Logs a refusal for lack of rights and gives the exception to throw. */
  private NotAuthorizedException refuse(
      CompositionRequest request, String decisionId, IntentPrediction prediction, String reason) {
    transaction.executeWithoutResult(
        tx ->
            decisions.record(
                new Decision(decisionId, clock.instant(), Decision.Kind.COMPOSITION, "FORBIDDEN",
                    request.user(), request.intent(), null, null, reason,
                    details(request, prediction, null, List.of()))));
    meters.counter(METRIC_COMPOSITIONS, "intent", request.intent(), "origin", request.origin().name(),
        "status", "FORBIDDEN").increment();
    return new NotAuthorizedException(reason, decisionId);
  }

  private CompositionResult reject(
      CompositionRequest request, String decisionId, IntentPrediction prediction, String reason) {
    decisions.record(
        new Decision(decisionId, clock.instant(), Decision.Kind.COMPOSITION, Status.REJECTED.name(),
            request.user(), request.intent(), null, null, reason,
            details(request, prediction, null, List.of())));
    return new CompositionResult(decisionId, Status.REJECTED, request.intent(), null, null, null,
        List.of(), prediction.source(), reason);
  }

  private static String nothingFitsReason(List<ScoredWorkflow> scored) {
    if (scored.isEmpty()) {
      return "no candidate";
    }
    ScoredWorkflow best = scored.get(0);
    return best.score().feasible()
        ? String.format(Locale.ROOT, "best candidate scores %.3f, below the minimum", best.score().total())
        : "no candidate fits the free capacity (" + scored.size() + " tried)";
  }

  private List<ScoredWorkflow> alternatives(List<ScoredWorkflow> scored, ScoredWorkflow chosen) {
    return scored.stream()
        .filter(s -> s != chosen)
        .limit(properties.composer().alternativesShown())
        .toList();
  }

  static Map<String, Object> details(
      CompositionRequest request, IntentPrediction prediction, ScoredWorkflow chosen,
      List<ScoredWorkflow> scored) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("origin", request.origin().name());
    details.put("parameters", request.parameters());
    details.put(
        "prediction",
        Map.of("source", prediction.source(), "probability", prediction.probabilityOf(request.intent())));
    if (chosen != null) {
      details.put("chosen", chosen.explain());
    }
    details.put("candidateCount", scored.size());
    details.put("candidates", scored.stream().limit(CANDIDATES_LOGGED).map(ScoredWorkflow::explain).toList());
    return details;
  }
}
