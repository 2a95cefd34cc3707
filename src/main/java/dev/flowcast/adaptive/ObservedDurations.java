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
import java.util.function.LongSupplier;
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
  private final LongSupplier ticker;
  /** The latest scoring read per set of components asked about: each intent's candidates use a set of their own. */
  private final Map<Set<String>, KeptRead> recentReads = new ConcurrentHashMap<>();

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
    this(steps, settings, clock, components, failingNow, System::nanoTime);
  }

  /** @param ticker the machine's time in nanoseconds, for how old a kept read is */
  ObservedDurations(StepLog steps, FlowcastProperties.Adaptive settings, Supplier<Instant> clock,
      Supplier<Collection<String>> components, Supplier<Set<String>> failingNow, LongSupplier ticker) {
    this.ticker = ticker;
    this.steps = steps;
    this.components = components;
    this.failingNow = failingNow;
    this.settings = settings;
    this.clock = clock;
  }

  /** Reads the step log afresh, for every component of the library: the adaptive check's read. */
  @Override
  public Times now() {
    Instant now = clock.get();
    return times(read(components.get(), now), now);
  }

  /**
   * For these components only, a scoring round's read: taken from a read of the step log at most
   * {@code durations-max-age} old (decision 0045), since every request scores and the step log
   * changes little within a second. A step running on is measured up to now all the same, and
   * failures are read afresh.
   */
  @Override
  public Times nowFor(Set<String> names) {
    Instant now = clock.get();
    long nanos = ticker.getAsLong();
    StepLogRead kept = kept(names, now, nanos);
    if (kept == null) {
      kept = read(names, now);
      recentReads.put(Set.copyOf(names), new KeptRead(kept, now, nanos));
      recentReads.values().removeIf(old -> !old.servesAt(now, nanos, maxAgeNanos()));
    }
    return times(kept, now);
  }

  private StepLogRead kept(Set<String> names, Instant now, long nanos) {
    KeptRead kept = recentReads.get(names);
    return kept != null && kept.servesAt(now, nanos, maxAgeNanos()) ? kept.read() : null;
  }

  private long maxAgeNanos() {
    return settings.durationsMaxAge().toNanos();
  }

  private StepLogRead read(Collection<String> names, Instant now) {
    return new StepLogRead(steps.unfinished(now.minus(settings.slowEvidence())),
        steps.recent(names, settings.sampleWindow()));
  }

  private Times times(StepLogRead read, Instant now) {
    return new Times(read.recent().durations(), read.unfinished().longestAt(now), read.recent().outcomes(),
        failingNow.get(), settings);
  }

  /** What one read of the step log found for some components. */
  private record StepLogRead(StepLog.Unfinished unfinished, StepLog.Recent recent) {}

  /**
   * A read and when it was taken, by the engine's clock and by the machine's: it serves while both
   * say it is young enough, so a clock set forward (as tests and simulations do) reads again.
   */
  private record KeptRead(StepLogRead read, Instant engineTime, long nanos) {
    boolean servesAt(Instant now, long nowNanos, long maxAgeNanos) {
      long engineAge = Duration.between(engineTime, now).toNanos();
      return nowNanos - nanos < maxAgeNanos && engineAge >= 0 && engineAge < maxAgeNanos;
    }
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
