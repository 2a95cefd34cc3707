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
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The composer of the specification: predict, generate candidates, filter by the user's rights,
 * score, select the best or fall back; then deploy (once per composition), start as the user,
 * reserve and log, in one transaction that holds the capacity lock only from the check that the
 * chosen workflow still fits to the reservation.
 */
class DefaultComposer implements Composer {

  static final String METRIC_COMPOSITIONS = "flowcast.compositions";
  /**
   * From the decision to the started instance, the wait for the capacity lock and the time it is held:
   * the check that the choice still fits, the deployed definition, the start as the user, the
   * reservation and the decision row.
   */
  static final String METRIC_START = "flowcast.compositions.start";
  private static final int CANDIDATES_LOGGED = 10;

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
  private final JdbcClient jdbc;
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
      JdbcClient jdbc, MeterRegistry meters, FlowcastProperties properties, Clock clock, ObjectMapper json,
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
    this.jdbc = jdbc;
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
        // rolled back; the definition is found or deployed again
        result = composeAndReserve(request, template, decisionId, prediction, groups, now);
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
   * without the capacity lock; the lock is held only to check that the chosen workflow still fits
   * what is free now and to start and reserve it. When it no longer fits (another request took the
   * capacity meanwhile), the candidates are scored again under the lock against what is free then.
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
        return transaction.execute(tx -> {
          lockCapacity();
          return start(request, decisionId, prediction, explained, scored, groups, wouldBe);
        });
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
    // worked out before the lock: a request waiting for it waits for less
    Explanation explained = explain(request, prediction, best.get(), scored);
    long lockAsked = System.nanoTime();
    try {
      return transaction.execute(
          tx -> {
            lockCapacity();
            ResourceProfile locked = monitor.profile(now);
            if (locked.pools().keySet().equals(early.pools().keySet())
                && scorer.stillFits(best.get().workflow(), probability, locked)) {
              return start(request, decisionId, prediction, explained, scored, groups, null);
            }
            List<Workflow> again;
            try {
              again = locked.pools().keySet().equals(early.pools().keySet())
                  ? candidates : candidates(request, template, groups, permitted, locked);
            } catch (NoCandidateException e) {
              return noCandidate(request, decisionId, prediction, e); // the pools changed meanwhile
            }
            List<ScoredWorkflow> rescored = scorer.score(again, probability, locked);
            Optional<ScoredWorkflow> bestNow = best(rescored);
            return bestNow.isPresent()
                ? start(request, decisionId, prediction, explain(request, prediction, bestNow.get(), rescored), rescored,
                    groups, null)
                : nothingFits(request, decisionId, prediction, rescored);
          });
    } finally {
      meters.timer(METRIC_START, "intent", intent).record(System.nanoTime() - lockAsked, TimeUnit.NANOSECONDS);
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

  private void lockCapacity() {
    jdbc.sql("select name from flowcast_lock where name = 'capacity' for update").query().singleValue();
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
      Explanation explained, List<ScoredWorkflow> scored, List<String> groups, ScoredWorkflow shadowed) {
    ScoredWorkflow best = explained.chosen();
    Deployer.Deployed deployed = deployer.rememberedOrDeploy(best.workflow());
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
    ledger.reserve(instance.getId(), best.workflow().peakDemandByPool());
    String reason = explained.reason();
    Map<String, Object> details = new LinkedHashMap<>(explained.details());
    if (shadowed != null || properties.modeOf(request.intent()) == FlowcastProperties.Mode.SHADOW) {
      reason = shadowReason(best, shadowed);
      details.put("shadow", true);
      details.put("static", shadowSide(best));
      details.put("wouldBe", shadowed == null ? Map.of("queued", true) : shadowSide(shadowed));
    }
    decisions.record(
        new Decision(decisionId, clock.instant(), Decision.Kind.COMPOSITION, Status.STARTED.name(),
            request.user(), request.intent(), instance.getId(), definition.getId(), reason, details));
    return new CompositionResult(decisionId, Status.STARTED, request.intent(), instance.getId(),
        definition.getId(), best, alternatives(scored, best), prediction.source(), reason);
  }

  private static String shadowReason(ScoredWorkflow ran, ScoredWorkflow wouldBe) {
    String started = "shadow: ran the static binding " + ran.workflow().describe()
        + String.format(Locale.ROOT, " (score %.3f, %.4f per run, %.0f s)", ran.score().total(), ran.score().costPerRun(),
            ran.workflow().declaredSeconds());
    if (wouldBe == null) {
      return started + "; Flowcast would have queued the request (nothing fits the projected capacity)";
    }
    return started + "; Flowcast would have chosen " + wouldBe.workflow().describe()
        + String.format(Locale.ROOT, " (score %.3f, %.4f per run, %.0f s)", wouldBe.score().total(), wouldBe.score().costPerRun(),
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
