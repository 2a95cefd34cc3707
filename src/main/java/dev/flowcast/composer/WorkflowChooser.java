package dev.flowcast.composer;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The composer's choice, made without any lock: the intent (asked or predicted), the user's rights,
 * the candidates the user may start, their scores against the free capacity, the best of them, the
 * static binding a shadowed intent runs, and whether capacity arriving soon is worth waiting for.
 */
class WorkflowChooser {

  private final TemplateLibrary templates;
  private final ComponentLibrary components;
  private final IntentPredictor predictor;
  private final AuthorizationFilter authorization;
  private final ResourceMonitor monitor;
  private final Scorer scorer;
  private final ArrivingCapacity arriving;
  private final FlowcastProperties properties;

  WorkflowChooser(
      TemplateLibrary templates, ComponentLibrary components, IntentPredictor predictor,
      AuthorizationFilter authorization, ResourceMonitor monitor, Scorer scorer, ArrivingCapacity arriving,
      FlowcastProperties properties) {
    this.templates = templates;
    this.components = components;
    this.predictor = predictor;
    this.authorization = authorization;
    this.monitor = monitor;
    this.scorer = scorer;
    this.arriving = arriving;
    this.properties = properties;
  }

  Set<String> intents() {
    return templates.intents();
  }

  Optional<Workflow> likelyBinding(String intent, Map<String, PricedPool> pools) {
    return templates.forIntent(intent).flatMap(template -> {
      try {
        return CheapestBinding.in(CandidateGenerator.candidates(template, components, pools.keySet(), c -> true,
            properties.composer().maxCandidates()), pools);
      } catch (CandidateGenerator.NoCandidateException e) {
        return Optional.empty();
      }
    });
  }

  IntentPrediction predict(String user, Instant now) {
    return predictor.predict(user, templates.intents(), now);
  }

  WorkflowTemplate template(String intent) {
    return templates.forIntent(intent).orElseThrow(() -> new UnknownIntentException(intent, templates.intents()));
  }

  List<String> groupsOf(String user) {
    return authorization.groupsOf(user);
  }

  boolean mayStart(String user, List<String> groups, String processKey) {
    return authorization.mayStart(user, groups, processKey);
  }

  boolean mayCreateInstances(String user, List<String> groups) {
    return authorization.mayCreateInstances(user, groups);
  }

  /** What is free now, read without any lock. */
  ResourceProfile profile(Instant now) {
    return monitor.profile(now);
  }

  List<Workflow> candidates(CompositionRequest request, WorkflowTemplate template, List<String> groups,
      Map<String, Boolean> permitted, ResourceProfile profile) {
    return CandidateGenerator.candidates(
        template, components, profile.pools().keySet(),
        c -> permitted.computeIfAbsent(c.processKey(), key -> authorization.mayStart(request.user(), groups, key)),
        properties.composer().maxCandidates());
  }

  List<ScoredWorkflow> score(List<Workflow> candidates, double probability, ResourceProfile profile) {
    return scorer.score(candidates, probability, profile);
  }

  /** The static binding a shadowed intent runs, as a static process would; none for a proactive composition. */
  Optional<ScoredWorkflow> staticBinding(CompositionRequest request, List<ScoredWorkflow> scored) {
    if (properties.modeOf(request.intent()) == FlowcastProperties.Mode.SHADOW
        && request.origin() != CompositionRequest.Origin.PROACTIVE) {
      return StaticBinding.among(scored, components);
    }
    return Optional.empty();
  }

  Optional<ScoredWorkflow> best(List<ScoredWorkflow> scored) {
    return scored.stream()
        .filter(s -> s.score().feasible())
        .filter(s -> s.score().total() >= properties.scoring().minimum())
        .findFirst();
  }

  /** Capacity arriving before the request's deadline (or the queue's) that is worth waiting for. */
  Optional<ArrivingCapacity.Wait> worthWaitingFor(CompositionRequest request, ScoredWorkflow best,
      List<ScoredWorkflow> scored, double probability, ResourceProfile early, Instant now) {
    Instant deadline = request.deadline() != null ? request.deadline() : now.plus(properties.queue().deadline());
    return arriving.worthWaitingFor(best, scored, probability, early, now, deadline);
  }

  List<ScoredWorkflow> alternatives(List<ScoredWorkflow> scored, ScoredWorkflow chosen) {
    return alternatives(scored, chosen, properties);
  }

  /** The candidates shown beside {@code chosen} (or beside nothing, for a request not started). */
  static List<ScoredWorkflow> alternatives(
      List<ScoredWorkflow> scored, ScoredWorkflow chosen, FlowcastProperties properties) {
    return scored.stream()
        .filter(s -> s != chosen)
        .limit(properties.composer().alternativesShown())
        .toList();
  }
}
