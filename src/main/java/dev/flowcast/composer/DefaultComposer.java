package dev.flowcast.composer;

import dev.flowcast.composer.CandidateGenerator.NoCandidateException;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.resources.PricedPool;
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
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The composer of the specification: predict, generate candidates, filter by the user's rights,
 * score, select the best or fall back; then deploy (once per composition), start as the user, log
 * and reserve, in one transaction that holds the locks of the workflow's pools only from the check
 * that it still fits to the commit: a transaction of its own, or the caller's, checked there before
 * anything is written (decision 0033). The choice is the {@link WorkflowChooser}'s, the start under
 * the capacity guarantee the {@link GuaranteedStart}'s; this class orders them, tries again when the
 * capacity chosen was taken meanwhile, and answers what is not started (queued, rejected, refused).
 */
class DefaultComposer implements Composer {

  static final String METRIC_COMPOSITIONS = "flowcast.compositions";
  /**
   * From the decision to the started instance: the deployed definition, the start as the user, the
   * decision row, the wait for the pools' locks and the time they are held (the check that the
   * choice still fits and the reservation), and any start rolled back because it no longer fit.
   */
  static final String METRIC_START = "flowcast.compositions.start";
  private static final int CANDIDATES_LOGGED = 10;
  /** Starts tried while other requests keep taking the capacity chosen, before the request is queued. */
  private static final int START_ATTEMPTS = 3;

  private final WorkflowChooser chooser;
  private final GuaranteedStart starter;
  private final Fallback fallback;
  private final DecisionLog decisions;
  private final TransactionTemplate transaction;
  private final MeterRegistry meters;
  private final Clock clock;

  DefaultComposer(
      WorkflowChooser chooser, GuaranteedStart starter, Fallback fallback, DecisionLog decisions,
      TransactionTemplate transaction, MeterRegistry meters, Clock clock) {
    this.chooser = chooser;
    this.starter = starter;
    this.fallback = fallback;
    this.decisions = decisions;
    this.transaction = transaction;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Set<String> intents() {
    return chooser.intents();
  }

  @Override
  public Optional<Workflow> likelyBinding(String intent, Map<String, PricedPool> pools) {
    return chooser.likelyBinding(intent, pools);
  }

  @Override
  public CompositionResult compose(CompositionRequest asked) {
    Instant now = clock.instant();
    IntentPrediction prediction = chooser.predict(asked.user(), now);
    String intent =
        asked.intent() != null
            ? asked.intent()
            : prediction.top().map(IntentPrediction.RankedIntent::intent)
                .orElseThrow(() -> new UnknownIntentException("(predicted)", chooser.intents()));
    CompositionRequest request = asked.withIntent(intent);
    WorkflowTemplate template = chooser.template(intent);
    String decisionId = Decision.newId();
    List<String> groups = chooser.groupsOf(request.user());
    String processKey = ProcessKeys.composed(intent);
    boolean proactive = request.origin() == CompositionRequest.Origin.PROACTIVE;
    if (proactive && !(chooser.mayStart(request.user(), groups, processKey)
        && chooser.mayCreateInstances(request.user(), groups))) {
      return quietly(request, decisionId, prediction, "the user may not start " + processKey);
    }
    if (!chooser.mayStart(request.user(), groups, processKey)) {
      throw refuse(request, decisionId, prediction,
          "not authorized: CREATE_INSTANCE on process definition '" + processKey + "' is required");
    }
    if (!chooser.mayCreateInstances(request.user(), groups)) {
      throw refuse(request, decisionId, prediction,
          "not authorized: CREATE on resource PROCESS_INSTANCE is required");
    }
    CompositionResult result;
    try {
      try {
        result = composeAndReserve(request, template, decisionId, prediction, groups, now);
      } catch (GuaranteedStart.RememberedDefinitionGone e) {
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
    ResourceProfile early = chooser.profile(now);
    List<Workflow> candidates;
    try {
      candidates = chooser.candidates(request, template, groups, permitted, early);
    } catch (NoCandidateException e) {
      return transaction.execute(tx -> noCandidate(request, decisionId, prediction, e));
    }
    List<ScoredWorkflow> scored = chooser.score(candidates, probability, early);
    Optional<ScoredWorkflow> fixed = chooser.staticBinding(request, scored);
    if (fixed.isPresent()) {
      // as a static process would: started whatever Flowcast would have chosen or projected
      ScoredWorkflow wouldBe = scored.stream().filter(s -> s.score().feasible()).findFirst().orElse(null);
      return starter.startStatically(request, decisionId, prediction, fixed.get(), scored, groups, wouldBe);
    }
    Optional<ScoredWorkflow> best = chooser.best(scored);
    if (best.isEmpty()) {
      // nothing is reserved when nothing fits: no capacity lock
      return transaction.execute(tx -> nothingFits(request, decisionId, prediction, scored));
    }
    if (request.origin() == CompositionRequest.Origin.PROACTIVE) {
      return transaction.execute(tx -> starter.prepare(request, decisionId, prediction, best.get(), scored));
    }
    Optional<ArrivingCapacity.Wait> wait =
        chooser.worthWaitingFor(request, best.get(), scored, probability, early, now);
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
      try {
        return starter.startInATransactionOfItsOwn(request, decisionId, prediction, choice, tried, groups,
            probability, now);
      } catch (GuaranteedStart.NoLongerFits e) {
        // the rolled-back attempt's decision row is gone with it; what comes next is a decision of its own
        decisionId = Decision.newId();
        String nextId = decisionId;
        ResourceProfile again = chooser.profile(now);
        List<Workflow> regenerated;
        try {
          regenerated = again.pools().keySet().equals(early.pools().keySet())
              ? candidates : chooser.candidates(request, template, groups, permitted, again);
        } catch (NoCandidateException gone) {
          return transaction.execute(tx -> noCandidate(request, nextId, prediction, gone)); // the pools changed meanwhile
        }
        tried = chooser.score(regenerated, probability, again);
        Optional<ScoredWorkflow> bestNow = chooser.best(tried);
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
    try {
      return starter.startInTheCallersTransaction(request, decisionId, prediction, chosen, scored, groups, now);
    } catch (GuaranteedStart.NoLongerFits e) {
      return waitFor(request, decisionId, prediction, scored,
          "another request took the capacity chosen (" + chosen.workflow().describe() + ") meanwhile");
    } catch (GuaranteedStart.RememberedDefinitionGone e) {
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
          scored.isEmpty() ? null : scored.get(0), chooser.alternatives(scored, null), prediction.source(), reason);
    }
    return fallback.nothingFits(new Fallback.Unfitted(request, decisionId, prediction, scored, reason));
  }

  /** A proactive composition that cannot be prepared: nothing to log, nothing to queue. */
  private static CompositionResult quietly(CompositionRequest request, String decisionId, IntentPrediction prediction,
      String reason) {
    return new CompositionResult(decisionId, Status.REJECTED, request.intent(), null, null, null, List.of(),
        prediction.source(), reason);
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
