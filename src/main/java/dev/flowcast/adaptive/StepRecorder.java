package dev.flowcast.adaptive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What the step listeners do, inside the engine's transaction and quickly: a row per step run in
 * the step log (with the pool's free capacity when it started), its duration as a Micrometer timer
 * {@code flowcast_step_seconds{component,pool,outcome}}, and a {@code STEP} decision.
 */
class StepRecorder {

  static final String METRIC_STEP = "flowcast.step";
  /** How old the profile recorded with a step's start may be: instances start steps by the dozen a second. */
  static final Duration PROFILE_REUSED_FOR = Duration.ofSeconds(1);

  /** A profile read, and what a step starting in each pool records of it (the same for a second). */
  private record ProfileRead(Instant at, ResourceProfile profile, Map<String, String> recordedByPool) {}

  private final StepLog steps;
  private final ComponentLibrary components;
  private final ResourceMonitor monitor;
  private final PriceCatalog prices;
  private final DecisionLog decisions;
  private final MeterRegistry meters;
  private final ObjectMapper json;
  private final Supplier<Instant> clock;
  private final Clock wallClock;
  private volatile ProfileRead lastProfile;

  /**
   * @param clock the engine's clock, which times the steps (tests move it)
   * @param wallClock stamps the decisions, so an instance's timeline is in the order things happened
   */
  StepRecorder(StepLog steps, ComponentLibrary components, ResourceMonitor monitor, PriceCatalog prices,
      DecisionLog decisions, MeterRegistry meters, ObjectMapper json, Supplier<Instant> clock, Clock wallClock) {
    this.wallClock = wallClock;
    this.steps = steps;
    this.components = components;
    this.monitor = monitor;
    this.prices = prices;
    this.decisions = decisions;
    this.meters = meters;
    this.json = json;
    this.clock = clock;
  }

  void started(DelegateExecution execution, StepBinding binding) {
    Instant now = clock.get();
    ResourceDemand requirements = requirementsOf(binding);
    steps.started(new StepRun(Decision.newId(), execution.getProcessInstanceId(), execution.getProcessDefinitionId(),
        binding.stepId(), binding.component(), binding.pool(), StepRun.State.RUNNING, now, null,
        requirements.vcpu(), requirements.memoryMb(), null), profileAtStart(binding.pool()));
  }

  void ended(DelegateExecution execution, StepBinding binding) {
    StepRun.State state = execution.isCanceled() ? StepRun.State.CANCELLED : StepRun.State.COMPLETED;
    Instant now = clock.get();
    steps.ended(execution.getProcessInstanceId(), binding.stepId(), state, now, this::costOf).ifPresent(ended -> {
      StepRun run = ended.run();
      double seconds = run.elapsedAt(now).toMillis() / 1000.0;
      Timer.builder(METRIC_STEP)
          .description("Duration of the steps of composed workflows")
          .tag("component", run.component())
          .tag("pool", run.pool())
          .tag("outcome", state.name())
          .register(meters)
          .record(run.elapsedAt(now));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("stepId", run.stepId());
      details.put("component", run.component());
      details.put("pool", run.pool());
      details.put("seconds", seconds);
      details.put("cost", run.cost());
      details.put("vcpu", run.vcpu());
      details.put("memoryMb", run.memoryMb());
      details.put("startedAt", run.startedAt().toString());
      String worker = ProcessVariables.string(execution, ProcessVariables.WORKER);
      if (worker != null) {
        details.put("worker", worker);
      }
      if (ended.profileAtStart() != null) {
        details.put("profileAtStart", new RawValue(ended.profileAtStart()));
      }
      String verb = state == StepRun.State.COMPLETED ? "took" : "cancelled after";
      // concatenated, not String.format: every step's end writes one, and Formatter was a fifth of the listener's time
      decisions.record(new Decision(Decision.newId(), wallClock.instant(), Decision.Kind.STEP, state.name(),
          ProcessVariables.string(execution, ProcessVariables.USER),
          ProcessKeys.intentOf(binding.processKey()).orElse(null), execution.getProcessInstanceId(),
          execution.getProcessDefinitionId(),
          run.stepId() + " on " + run.component() + "@" + run.pool() + " " + verb + " " + tenths(seconds) + " s",
          details));
    });
  }

  /** One decimal, rounded half up, whatever the machine's locale. */
  static String tenths(double seconds) {
    return BigDecimal.valueOf(seconds).setScale(1, RoundingMode.HALF_UP).toPlainString();
  }

  private ResourceDemand requirementsOf(StepBinding binding) {
    return components.components().stream()
        .filter(c -> c.name().equals(binding.component()))
        .map(TaskComponent::requirements)
        .findFirst()
        .orElse(ResourceDemand.NONE);
  }

  private Double costOf(StepRun run) {
    PricedPool pool = prices.pools().get(run.pool());
    if (pool == null || run.endedAt() == null) {
      return null;
    }
    double hours = run.elapsedAt(run.endedAt()).toMillis() / 3_600_000.0;
    return pool.costOf(new ResourceDemand(run.vcpu(), run.memoryMb(), 0, 0), hours);
  }

  /** The pool's free capacity and the machine's free CPU and memory when the step started (within a second). */
  private String profileAtStart(String pool) {
    ProfileRead read = recentProfile();
    return read.recordedByPool().computeIfAbsent(pool, p -> recorded(read.profile(), p));
  }

  private String recorded(ResourceProfile profile, String pool) {
    Map<String, Object> figures = new LinkedHashMap<>();
    profile.pool(pool).map(PoolCapacity::available).ifPresent(free -> {
      figures.put("poolFreeVcpu", free.vcpu());
      figures.put("poolFreeMemoryMb", free.memoryMb());
    });
    profile.kinds().forEach((kind, measured) -> figures.put(kind.name().toLowerCase() + "Available", measured.available()));
    figures.put("stale", profile.freshness().stale());
    try {
      return json.writeValueAsString(figures);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain numbers always serialize", e);
    }
  }

  private ProfileRead recentProfile() {
    Instant now = wallClock.instant();
    ProfileRead last = lastProfile;
    if (last == null || last.at().plus(PROFILE_REUSED_FOR).isBefore(now) || now.isBefore(last.at())) {
      last = new ProfileRead(now, monitor.profile(now), new ConcurrentHashMap<>());
      lastProfile = last;
    }
    return last;
  }
}
