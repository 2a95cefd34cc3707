package dev.flowcast.adaptive;

import dev.flowcast.adaptive.InstanceState.StepState;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The adaptive loop: every {@code check-interval}, assesses each running composed instance with
 * the degradation policy (in a transaction that holds the 'adaptive' lock, so one node checks at a
 * time), and only after that transaction has committed switches the instances the governor lets
 * through, each in a transaction of its own.
 */
public class AdaptiveWatcher {

  private static final Logger log = LoggerFactory.getLogger(AdaptiveWatcher.class);

  private final Composer composer;
  private final Recomposer recomposer;
  private final RuntimeService runtime;
  private final StepLog steps;
  private final ObservedDurations durations;
  private final DegradationPolicy policy;
  private final SwitchGovernor governor;
  private final InstanceSwitcher switcher;
  private final ResourceMonitor monitor;
  private final InterruptionSignals interruptions;
  private final ReservationLedger ledger;
  private final DecisionLog decisions;
  private final TransactionTemplate transaction;
  private final JdbcClient jdbc;
  private final FlowcastProperties.Adaptive settings;
  private final Supplier<Instant> clock;
  private final Clock wallClock;
  private final StepFailures failures;
  private final Set<String> reportedAtLimit = ConcurrentHashMap.newKeySet();

  AdaptiveWatcher(Composer composer, Recomposer recomposer, RuntimeService runtime, StepLog steps, StepFailures failures,
      ObservedDurations durations, DegradationPolicy policy, SwitchGovernor governor, InstanceSwitcher switcher,
      ResourceMonitor monitor, InterruptionSignals interruptions, ReservationLedger ledger, DecisionLog decisions,
      TransactionTemplate transaction, JdbcClient jdbc, FlowcastProperties.Adaptive settings,
      Supplier<Instant> clock, Clock wallClock) {
    this.wallClock = wallClock;
    this.composer = composer;
    this.failures = failures;
    this.recomposer = recomposer;
    this.runtime = runtime;
    this.steps = steps;
    this.durations = durations;
    this.policy = policy;
    this.governor = governor;
    this.switcher = switcher;
    this.monitor = monitor;
    this.interruptions = interruptions;
    this.ledger = ledger;
    this.decisions = decisions;
    this.transaction = transaction;
    this.jdbc = jdbc;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${flowcast.adaptive.check-interval:PT5S}",
      initialDelayString = "${flowcast.adaptive.check-interval:PT5S}")
  void scheduledCheck() {
    if (!settings.enabled()) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("FLOWCAST-032 adaptive check failed; next one in {}: {}", settings.checkInterval(), e.toString());
    }
  }

  /** An instance the governor let through, with what was found. */
  private record Due(InstanceState instance, List<Degradation> degradations) {}

  /** What one assessment found, and the durations it judged by (the switches estimate with them too). */
  private record Assessment(List<Due> due, ObservedDurations.Times times) {}

  /** One check now: assess, commit, then switch. Returns the switch decisions taken. */
  public List<Decision> check() {
    Assessment assessment = transaction.execute(tx -> {
      jdbc.sql("select name from flowcast_lock where name = 'adaptive' for update").query().singleValue();
      Instant now = clock.get();
      ObservedDurations.Times times = durations.now();
      // the machine is measured in wall-clock time; steps are timed by the engine's clock
      DegradationPolicy.Conditions conditions = new DegradationPolicy.Conditions(now,
          monitor.profile(wallClock.instant()),
          interruptions.activePools(wallClock.instant()), times::of);
      List<Due> found = new ArrayList<>();
      Set<String> running = new HashSet<>();
      for (InstanceState instance : runningInstances()) {
        running.add(instance.processInstanceId());
        List<Degradation> degradations = policy.assess(instance, conditions);
        double severity = degradations.stream().mapToDouble(Degradation::severity).max().orElse(0);
        SwitchGovernor.History history = severity >= 1.0 ? historyOf(instance.processInstanceId())
            : SwitchGovernor.History.NONE;
        SwitchGovernor.Verdict verdict = governor.judge(instance.processInstanceId(), severity, history, now);
        if (verdict == SwitchGovernor.Verdict.SWITCH) {
          found.add(new Due(instance, degradations));
        } else if (verdict == SwitchGovernor.Verdict.AT_LIMIT && reportedAtLimit.add(instance.processInstanceId())) {
          log.info("FLOWCAST-033 {} is degraded but has been switched {} times already (max-switches)",
              instance.processInstanceId(), history.switches());
        }
      }
      governor.retainOnly(running);
      reportedAtLimit.retainAll(running);
      return new Assessment(found, times);
    });
    List<Decision> taken = new ArrayList<>();
    for (Due instance : assessment.due()) {
      taken.add(switcher.switchInstance(instance.instance(), instance.degradations(), assessment.times()));
    }
    return taken;
  }

  private SwitchGovernor.History historyOf(String processInstanceId) {
    List<Decision> switches = decisions.find(new DecisionQuery(null, processInstanceId, DecisionQuery.MAX_LIMIT))
        .stream().filter(d -> d.kind() == Decision.Kind.SWITCH).toList();
    int done = (int) switches.stream()
        .filter(d -> d.status().equals(InstanceSwitcher.Status.MIGRATED.name())
            || d.status().equals(InstanceSwitcher.Status.RESTARTED.name()))
        .count();
    Instant last = switches.stream().map(Decision::decidedAt).max(Comparator.naturalOrder()).orElse(null);
    return new SwitchGovernor.History(done, last);
  }

  /**
   * Every running composed instance as the policy sees it. A tick reads each kind of fact once for
   * all of them (their step runs, their users, what they hold), not once per instance: the tick's
   * queries must not multiply with the instances running.
   */
  private List<InstanceState> runningInstances() {
    String[] keys = composer.intents().stream().map(ProcessKeys::composed).toArray(String[]::new);
    if (keys.length == 0) {
      return List.of();
    }
    List<ProcessInstance> instances = runtime.createProcessInstanceQuery().processDefinitionKeyIn(keys).active().list();
    if (instances.isEmpty()) {
      return List.of();
    }
    List<String> ids = instances.stream().map(ProcessInstance::getId).toList();
    Map<String, Map<String, String>> failed = failures.now();
    Map<String, List<StepRun>> runs = steps.runsOf(ids);
    Map<String, String> users = usersOf(ids);
    Map<String, Map<String, ResourceDemand>> held = new HashMap<>();
    ledger.holdings().forEach(holding -> held.put(holding.processInstanceId(), holding.byPool()));
    List<InstanceState> states = new ArrayList<>();
    for (ProcessInstance instance : instances) {
      String id = instance.getId();
      stateOf(instance, runs.getOrDefault(id, List.of()), failed.getOrDefault(id, Map.of()), users.get(id),
          held.getOrDefault(id, Map.of())).ifPresent(states::add);
    }
    return states;
  }

  /** The user each instance was started for, read for all of them at once (in slices the database takes). */
  private Map<String, String> usersOf(List<String> instanceIds) {
    Map<String, String> users = new HashMap<>();
    for (List<String> slice : StepLog.slices(instanceIds)) {
      for (VariableInstance variable : runtime.createVariableInstanceQuery().variableName(ProcessVariables.USER)
          .variableScopeIdIn(slice.toArray(String[]::new)).disableBinaryFetching()
          .disableCustomObjectDeserialization().list()) {
        if (variable.getValue() != null) {
          users.put(variable.getProcessInstanceId(), variable.getValue().toString());
        }
      }
    }
    return users;
  }

  /**
   * @param runs the instance's step runs, ordered by start
   * @param failed per component name, what its failed job in this instance said
   */
  private Optional<InstanceState> stateOf(ProcessInstance instance, List<StepRun> runs, Map<String, String> failed,
      String user, Map<String, ResourceDemand> held) {
    Optional<Workflow> workflow = recomposer.workflowOf(instance.getProcessDefinitionId());
    if (workflow.isEmpty()) {
      return Optional.empty();
    }
    Map<String, StepRun> latest = new HashMap<>();
    runs.forEach(run -> latest.put(run.stepId(), run));
    List<StepState> stepStates = new ArrayList<>();
    for (Task task : workflow.get().tasks()) {
      StepRun run = latest.get(task.stepId());
      StepState.Phase phase = run == null || run.state() == StepRun.State.CANCELLED ? StepState.Phase.PENDING
          : run.state() == StepRun.State.RUNNING ? StepState.Phase.RUNNING : StepState.Phase.FINISHED;
      boolean running = phase == StepState.Phase.RUNNING;
      stepStates.add(new StepState(task, phase, running ? run.startedAt() : null,
          running ? failed.get(task.component().name()) : null));
    }
    return Optional.of(new InstanceState(instance.getId(), instance.getProcessDefinitionId(), workflow.get(), user,
        stepStates, held));
  }
}
