package dev.flowcast.composer;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * total = p·probability + f·fit + c·cost − r·risk, weights from {@code flowcast.scoring.*}.
 *
 * <ul>
 *   <li>fit: the headroom left, in the scarcest kind of the tightest pool, at the workflow's peak;
 *   <li>cost: the cheapest candidate's price of one run divided by this one's;
 *   <li>risk: the chance of at least one interruption or failed step: 1 − exp(−Σ interruption rate ×
 *       expected hours) × Π (1 − failure rate) over the steps.
 * </ul>
 *
 * Expected hours come from {@link DurationEstimates}: declared, or observed once there is history.
 */
class WeightedScorer implements Scorer {

  /** How long the estimates of a scoring round serve the checks under the lock that follow it. */
  static final Duration ESTIMATES_KEPT_FOR_CHECKS = Duration.ofSeconds(1);

  private final FlowcastProperties.Scoring weights;
  private final DurationEstimates durations;
  /**
   * The latest round's estimates for each set of components a round read: requests for other
   * intents, scored between a request's round and its check, do not push its estimates out.
   */
  private final Map<Set<String>, Estimates> latest = new ConcurrentHashMap<>();

  /** A round's estimates, for the components its candidates use (the key it is kept under). */
  private record Estimates(DurationEstimates.Snapshot snapshot, long takenAtNanos) {}

  WeightedScorer(FlowcastProperties.Scoring weights, DurationEstimates durations) {
    this.weights = weights;
    this.durations = durations;
  }

  @Override
  public List<ScoredWorkflow> score(List<Workflow> candidates, double probability, ResourceProfile profile) {
    Set<String> components = componentsOf(candidates);
    DurationEstimates.Snapshot expected = durations.nowFor(components);
    long taken = System.nanoTime();
    latest.put(components, new Estimates(expected, taken));
    latest.values().removeIf(e -> taken - e.takenAtNanos() >= ESTIMATES_KEPT_FOR_CHECKS.toNanos());
    List<Measured> measurements = candidates.stream().map(w -> measure(w, profile, expected)).toList();
    double cheapest = measurements.stream().mapToDouble(Measured::costPerRun).min().orElse(0.0);
    List<ScoredWorkflow> scored = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Measured measured = measurements.get(i);
      double cost = measured.costPerRun() <= 0 ? 1.0 : cheapest / measured.costPerRun();
      double total =
          weights.probabilityWeight() * probability
              + weights.fitWeight() * measured.fit()
              + weights.costWeight() * cost
              - weights.riskWeight() * measured.risk();
      scored.add(
          new ScoredWorkflow(
              candidates.get(i),
              new Score(total, probability, measured.fit(), cost, measured.risk(),
                  measured.feasible(), measured.costPerRun())));
    }
    // candidates of equal score in the order of their bindings' names, each name written once
    Map<ScoredWorkflow, String> names = new IdentityHashMap<>();
    scored.sort(
        Comparator.comparing((ScoredWorkflow s) -> !s.score().feasible())
            .thenComparing(Comparator.comparingDouble((ScoredWorkflow s) -> s.score().total()).reversed())
            .thenComparing(s -> names.computeIfAbsent(s, w -> w.workflow().describe())));
    return scored;
  }

  /**
   * Against the estimates of the latest scoring round within the last second that read the
   * chosen workflow's components: the choice was made with them (or with a round a moment older),
   * and the check is about the capacity taken since, not about durations (reading the step log
   * again would be most of the time the lock is held).
   */
  @Override
  public boolean stillFits(Workflow chosen, double probability, ResourceProfile profile) {
    Set<String> components = componentsOf(List.of(chosen));
    long now = System.nanoTime();
    DurationEstimates.Snapshot expected = latest.entrySet().stream()
        .filter(round -> round.getKey().containsAll(components))
        .map(Map.Entry::getValue)
        .filter(e -> now - e.takenAtNanos() < ESTIMATES_KEPT_FOR_CHECKS.toNanos())
        .max(Comparator.comparingLong(Estimates::takenAtNanos))
        .map(Estimates::snapshot)
        .orElseGet(() -> durations.nowFor(components));
    return measure(chosen, profile, expected).feasible();
  }

  /** The names of the components the workflows' steps are bound to. */
  private static Set<String> componentsOf(List<Workflow> workflows) {
    Set<String> components = new HashSet<>();
    workflows.forEach(w -> w.tasks().forEach(t -> components.add(t.component().name())));
    return components;
  }

  private record Measured(double fit, double costPerRun, double risk, boolean feasible) {}

  /**
   * The steps running in each stretch of the projection (from now, from +5, +10 and +15 minutes),
   * by their expected start and end along the workflow's dependencies: a step is in every stretch
   * it overlaps.
   */
  static Map<Duration, Set<String>> stepsByStretch(Workflow workflow, DurationEstimates.Snapshot expected) {
    Map<String, Double> finishes = new HashMap<>();
    Map<Duration, Set<String>> stretches = new TreeMap<>();
    for (Task task : workflow.tasks()) {
      double start = 0;
      for (String dependency : workflow.dependenciesOf(task.stepId())) {
        start = Math.max(start, finishes.getOrDefault(dependency, 0.0));
      }
      double end = start + expected.expected(task.component()).toMillis() / 1000.0;
      finishes.put(task.stepId(), end);
      for (int i = 0; i < STRETCH_STARTS.size(); i++) {
        double from = STRETCH_STARTS.get(i).toSeconds();
        double to = i + 1 < STRETCH_STARTS.size() ? STRETCH_STARTS.get(i + 1).toSeconds() : Double.POSITIVE_INFINITY;
        if (start < to && (end > from || (end == start && start >= from))) {
          stretches.computeIfAbsent(STRETCH_STARTS.get(i), s -> new HashSet<>()).add(task.stepId());
        }
      }
    }
    return stretches;
  }

  /** Where the stretches of the projection begin: now, then each of its horizons. */
  private static final List<Duration> STRETCH_STARTS = stretchStarts();

  private static List<Duration> stretchStarts() {
    List<Duration> starts = new ArrayList<>();
    starts.add(Duration.ZERO);
    starts.addAll(ResourceProfile.HORIZONS);
    return List.copyOf(starts);
  }

  private static Measured measure(Workflow workflow, ResourceProfile profile, DurationEstimates.Snapshot expected) {
    double fit = 1.0;
    boolean feasible = true;
    // each stretch of time against what is projected free then: the steps running in it, at their peak
    for (Map.Entry<Duration, Set<String>> stretch : stepsByStretch(workflow, expected).entrySet()) {
      for (Map.Entry<String, ResourceDemand> peak : workflow.peakDemandByPool(stretch.getValue()).entrySet()) {
        PoolCapacity pool = profile.pool(peak.getKey()).orElse(null);
        ResourceDemand free = pool == null ? null : pool.availableAt(stretch.getKey());
        if (free == null || !peak.getValue().fitsIn(free)) {
          feasible = false;
          fit = 0.0;
        } else if (feasible) {
          fit = Math.min(fit, peak.getValue().headroomIn(free));
        }
      }
    }
    double costPerRun = 0.0;
    double expectedInterruptions = 0.0;
    double allSucceed = 1.0;
    for (Task task : workflow.tasks()) {
      allSucceed *= 1.0 - expected.failureRate(task.component());
      double hours = expected.expected(task.component()).toMillis() / 3_600_000.0;
      PoolCapacity pool = profile.pool(task.pool()).orElse(null);
      if (pool != null) {
        costPerRun += pool.costOf(task.requirements(), hours);
        expectedInterruptions += pool.interruptionRatePerHour() * hours;
      }
    }
    // at least one interruption, or at least one step whose work fails
    double risk = 1.0 - Math.exp(-expectedInterruptions) * allSucceed;
    return new Measured(fit, costPerRun, risk, feasible);
  }
}
