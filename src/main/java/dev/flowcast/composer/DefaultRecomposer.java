package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.StepProperties;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;

/** Re-composition with the composer's own parts: candidates, rights, scorer, deployer. */
final class DefaultRecomposer implements Recomposer {

  private final TemplateLibrary templates;
  private final ComponentLibrary components;
  private final AuthorizationFilter authorization;
  private final Scorer scorer;
  private final ResourceMonitor monitor;
  private final Deployer deployer;
  private final RepositoryService repository;
  private final ReservationLedger ledger;
  private final int maxCandidates;
  private final Clock clock;
  private final InterruptionSignals interruptions;
  /** Deployed definitions never change: read each one's workflow once. */
  private final Map<String, Optional<Workflow>> workflows = new ConcurrentHashMap<>();

  DefaultRecomposer(
      TemplateLibrary templates, ComponentLibrary components, AuthorizationFilter authorization, Scorer scorer,
      ResourceMonitor monitor, Deployer deployer, RepositoryService repository, ReservationLedger ledger,
      int maxCandidates, Clock clock, InterruptionSignals interruptions) {
    this.interruptions = interruptions;
    this.templates = templates;
    this.components = components;
    this.authorization = authorization;
    this.scorer = scorer;
    this.monitor = monitor;
    this.deployer = deployer;
    this.repository = repository;
    this.ledger = ledger;
    this.maxCandidates = maxCandidates;
    this.clock = clock;
  }

  @Override
  public Optional<Workflow> workflowOf(String processDefinitionId) {
    return workflows.computeIfAbsent(processDefinitionId, this::read);
  }

  private Optional<Workflow> read(String processDefinitionId) {
    ProcessDefinition definition = repository.getProcessDefinition(processDefinitionId);
    Optional<WorkflowTemplate> template = ProcessKeys.intentOf(definition.getKey()).flatMap(templates::forIntent);
    if (template.isEmpty()) {
      return Optional.empty();
    }
    BpmnModelInstance model = repository.getBpmnModelInstance(processDefinitionId);
    Map<String, Task> bound = new HashMap<>();
    for (CallActivity step : model.getModelElementsByType(CallActivity.class)) {
      Map<String, String> properties = new HashMap<>();
      if (step.getExtensionElements() != null) {
        step.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()
            .forEach(all -> all.getCamundaProperties()
                .forEach(p -> properties.put(p.getCamundaName(), p.getCamundaValue())));
      }
      Optional<TaskComponent> component = components.components().stream()
          .filter(c -> c.name().equals(properties.get(StepProperties.COMPONENT)))
          .findFirst();
      if (component.isEmpty()) {
        return Optional.empty();
      }
      bound.put(step.getId(), new Task(step.getId(), 0, properties.get(StepProperties.CAPABILITY),
          component.get(), properties.get(StepProperties.POOL)));
    }
    List<Task> tasks = new ArrayList<>();
    for (AbstractTask abstractTask : template.get().tasks()) {
      Task task = bound.get(abstractTask.stepId());
      if (task == null) {
        return Optional.empty();
      }
      tasks.add(new Task(task.stepId(), abstractTask.position(), task.capability(), task.component(), task.pool()));
    }
    return Optional.of(new Workflow(template.get(), tasks));
  }

  @Override
  public Recomposition recompose(Request request) {
    Workflow current = request.current();
    Instant now = clock.instant();
    // every pool held, as a composition holds its own: what the instance may move to still fits
    // when the switch reserves it; the deployment lock first, as a composition takes them
    deployer.holdDeployments();
    ledger.holdPools(monitor.profile(now).pools().keySet());
    // a pool with an interruption notice gets nothing new, and what the instance holds there is not free
    Set<String> interrupted = interruptions.activePools(now);
    Map<String, ResourceDemand> returned = new HashMap<>(request.heldByInstance());
    returned.keySet().removeAll(interrupted);
    ResourceProfile profile = monitor.profile(now).withReturned(returned);
    Set<String> pools = new HashSet<>(profile.pools().keySet());
    pools.removeAll(interrupted);
    Map<String, Task> held = new HashMap<>();
    Set<String> kept = new HashSet<>(request.finished());
    kept.addAll(request.held());
    kept.forEach(stepId -> current.task(stepId).ifPresent(task -> held.put(stepId, task)));
    List<String> groups = authorization.groupsOf(request.user());
    Map<String, Boolean> permitted = new HashMap<>();
    List<Workflow> candidates = CandidateGenerator.candidates(
        current.template(), components, pools,
        c -> permitted.computeIfAbsent(c.processKey(), key -> authorization.mayStart(request.user(), groups, key)),
        maxCandidates, held);
    if (candidates.stream().noneMatch(c -> c.describe().equals(current.describe()))) {
      candidates = new ArrayList<>(candidates);
      candidates.add(current);
    }
    Set<String> remaining = new HashSet<>();
    current.tasks().stream().map(Task::stepId).filter(id -> !request.finished().contains(id)).forEach(remaining::add);
    Map<Workflow, Workflow> wholeOf = new HashMap<>();
    List<Workflow> remainders = new ArrayList<>();
    for (Workflow candidate : candidates) {
      Workflow remainder = candidate.only(remaining);
      wholeOf.put(remainder, candidate);
      remainders.add(remainder);
    }
    ScoredWorkflow stay = null;
    List<ScoredWorkflow> alternatives = new ArrayList<>();
    for (ScoredWorkflow scored : scorer.score(remainders, 1.0, profile)) {
      ScoredWorkflow whole = new ScoredWorkflow(wholeOf.get(scored.workflow()), scored.score());
      if (whole.workflow().describe().equals(current.describe())) {
        stay = whole;
      } else {
        alternatives.add(whole);
      }
    }
    return new Recomposition(stay, alternatives, candidates.size());
  }

  @Override
  public String deploy(Workflow workflow) {
    return deployer.deploy(workflow).definition().getId();
  }
}
