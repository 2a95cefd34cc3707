package dev.flowcast.adaptive;

import dev.flowcast.composer.DurationEstimates;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.FlowcastProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Durations from the step log: the declared duration until a component has
 * {@code minimum-samples} completed runs, then the mean and p95 of its latest runs; and a
 * component with a step running past its threshold (or cancelled past it within
 * {@code slow-evidence}, e.g. restarted elsewhere) is expected to be slow now, before any slow run
 * has completed.
 */
class ObservedDurations implements DurationEstimates {

  private final StepLog steps;
  private final FlowcastProperties.Adaptive settings;
  private final Supplier<Instant> clock;
  private final Supplier<Collection<String>> components;
  private final Supplier<Set<String>> failingNow;

  ObservedDurations(StepLog steps, FlowcastProperties.Adaptive settings, Supplier<Instant> clock,
      Supplier<Collection<String>> components) {
    this(steps, settings, clock, components, Set::of);
  }

  /**
   * @param components the names of the components whose runs count (the library's)
   * @param failingNow the components whose work is failing in a running step right now
   */
  ObservedDurations(StepLog steps, FlowcastProperties.Adaptive settings, Supplier<Instant> clock,
      Supplier<Collection<String>> components, Supplier<Set<String>> failingNow) {
    this.steps = steps;
    this.components = components;
    this.failingNow = failingNow;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Times now() {
    return read(components.get());
  }

  /** Reads the step log for these components only: a scoring round needs its candidates' alone. */
  @Override
  public Times nowFor(Set<String> names) {
    return read(names);
  }

  private Times read(Collection<String> names) {
    Instant now = clock.get();
    Map<String, Duration> longestRunning = steps.longestUnfinished(now, now.minus(settings.slowEvidence()));
    StepLog.Recent recent = steps.recent(names, settings.sampleWindow());
    return new Times(recent.durations(), longestRunning, recent.outcomes(), failingNow.get(), settings);
  }

  /** One read of the step log, for a whole scoring round or check. */
  static final class Times implements DurationEstimates.Snapshot {

    private final Map<String, List<Duration>> recent;
    private final Map<String, Duration> longestRunning;
    private final Map<String, StepLog.Outcomes> outcomes;
    private final Set<String> failingNow;
    private final FlowcastProperties.Adaptive settings;
    /** A scoring round asks for the same few components many times: work each one out once. */
    private final Map<String, ComponentTimes> computed = new ConcurrentHashMap<>();

    Times(Map<String, List<Duration>> recent, Map<String, Duration> longestRunning,
        FlowcastProperties.Adaptive settings) {
      this(recent, longestRunning, Map.of(), Set.of(), settings);
    }

    Times(Map<String, List<Duration>> recent, Map<String, Duration> longestRunning,
        Map<String, StepLog.Outcomes> outcomes, Set<String> failingNow, FlowcastProperties.Adaptive settings) {
      this.recent = recent;
      this.outcomes = outcomes;
      this.failingNow = failingNow;
      this.longestRunning = longestRunning;
      this.settings = settings;
    }

    @Override
    public Duration expected(TaskComponent component) {
      return of(component).expected();
    }

    /** Failed among the latest ended runs, a step failing now counted as one more failed run. */
    @Override
    public double failureRate(TaskComponent component) {
      StepLog.Outcomes ended = outcomes.getOrDefault(component.name(), new StepLog.Outcomes(0, 0));
      int now = failingNow.contains(component.name()) ? 1 : 0;
      int runs = ended.ended() + now;
      return runs == 0 ? 0.0 : (double) (ended.failed() + now) / runs;
    }

    ComponentTimes of(TaskComponent component) {
      return computed.computeIfAbsent(component.name(), name -> compute(component));
    }

    private ComponentTimes compute(TaskComponent component) {
      List<Duration> runs = recent.getOrDefault(component.name(), List.of());
      boolean observed = runs.size() >= settings.minimumSamples();
      Duration typical = observed ? mean(runs) : component.expectedDuration();
      Duration p95 = observed ? percentile(runs, 0.95) : component.expectedDuration();
      Duration byFactor = Duration.ofMillis((long) (p95.toMillis() * settings.slowFactor()));
      Duration byOverrun = p95.plus(settings.minimumOverrun());
      Duration threshold = byFactor.compareTo(byOverrun) >= 0 ? byFactor : byOverrun;
      Duration running = longestRunning.getOrDefault(component.name(), Duration.ZERO);
      Duration expected = running.compareTo(threshold) > 0 ? running.multipliedBy(2) : typical;
      return new ComponentTimes(component.name(), observed ? runs.size() : 0, typical, p95, threshold, running,
          expected);
    }

    private static Duration mean(List<Duration> runs) {
      return Duration.ofMillis((long) runs.stream().mapToLong(Duration::toMillis).average().orElse(0));
    }

    /** Nearest rank. */
    static Duration percentile(List<Duration> runs, double quantile) {
      List<Duration> sorted = runs.stream().sorted().toList();
      int rank = (int) Math.ceil(quantile * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
  }
}
