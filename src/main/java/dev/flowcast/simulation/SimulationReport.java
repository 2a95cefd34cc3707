package dev.flowcast.simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of a simulation: per strategy, what it cost and how requests fared; the goals of
 * the evaluation, met or not; and what was replayed.
 */
public record SimulationReport(Map<String, Figures> strategies, Map<String, Object> replay, List<Goal> goals,
    Map<String, List<ReplayRun.TimelinePoint>> timelines) {

  /**
   * One strategy's figures. Times are from a request's arrival: {@code p50Seconds}/{@code p95Seconds}
   * to its completion, {@code queueP50Seconds}/{@code queueP95Seconds} to the start of its workflow.
   *
   * @param slaMisses requests completed after their intent's deadline, or never
   * @param lost requests that never completed
   * @param interruptions runs of component work that a pool interruption took away
   */
  public record Figures(double cost, int slaMisses, int lost, double p50Seconds, double p95Seconds,
      double queueP50Seconds, double queueP95Seconds, int switches, int interruptions, int completed,
      int failedJobs, Map<String, Integer> compositions, ReplayRun.ElasticFigures elastic) {}

  /** One goal of the evaluation, with the figures it was judged on. */
  public record Goal(String goal, boolean met, String figures) {}

  static SimulationReport of(List<ReplayRun.Outcome> outcomes, Map<String, Object> replay) {
    Map<String, Figures> strategies = new LinkedHashMap<>();
    Map<String, List<ReplayRun.TimelinePoint>> timelines = new LinkedHashMap<>();
    for (ReplayRun.Outcome outcome : outcomes) {
      strategies.put(outcome.label(), figuresOf(outcome));
      timelines.put(outcome.label(), outcome.timeline());
    }
    return new SimulationReport(strategies, replay, goals(strategies), timelines);
  }

  static Figures figuresOf(ReplayRun.Outcome outcome) {
    List<Double> total = new ArrayList<>();
    List<Double> queue = new ArrayList<>();
    int misses = 0;
    int lost = 0;
    for (ReplayRun.RequestOutcome request : outcome.requests()) {
      if (request.started() != null) {
        queue.add(seconds(request.started().minus(request.arrival())));
      }
      if (request.completed() == null) {
        lost++;
        misses++;
        continue;
      }
      Duration took = request.completed().minus(request.arrival());
      total.add(seconds(took));
      if (took.compareTo(IntentTable.deadlineOf(request.intent())) > 0) {
        misses++;
      }
    }
    return new Figures(round(outcome.cost(), 6), misses, lost, percentile(total, 50), percentile(total, 95),
        percentile(queue, 50), percentile(queue, 95), outcome.switches(), outcome.interruptions(), total.size(),
        outcome.failedJobs(), outcome.compositions(), outcome.elastic());
  }

  private static List<Goal> goals(Map<String, Figures> strategies) {
    List<Goal> goals = new ArrayList<>();
    Optional<Figures> flowcast = Optional.ofNullable(strategies.get(Strategy.FLOWCAST.label()));
    Optional<Figures> onDemand = Optional.ofNullable(strategies.get(Strategy.STATIC_ON_DEMAND.label()));
    Optional<Figures> cheapest = Optional.ofNullable(strategies.get(Strategy.STATIC_CHEAPEST.label()));
    Optional<Figures> oracle = Optional.ofNullable(strategies.get(Strategy.ORACLE.label()));
    if (flowcast.isPresent() && onDemand.isPresent()) {
      Figures f = flowcast.get();
      Figures o = onDemand.get();
      double saving = o.cost() <= 0 ? 0 : 1 - f.cost() / o.cost();
      goals.add(new Goal("flowcast at least 25% cheaper than static-on-demand, with no more SLA misses",
          saving >= 0.25 && f.slaMisses() <= o.slaMisses(),
          String.format(Locale.ROOT, "%.1f%% cheaper; SLA misses %d vs %d", saving * 100, f.slaMisses(), o.slaMisses())));
    }
    if (flowcast.isPresent() && cheapest.isPresent()) {
      goals.add(new Goal("flowcast has fewer SLA misses than static-cheapest",
          flowcast.get().slaMisses() < cheapest.get().slaMisses(),
          String.format(Locale.ROOT, "SLA misses %d vs %d", flowcast.get().slaMisses(), cheapest.get().slaMisses())));
    }
    Optional<Figures> reactiveAutoscale = Optional.ofNullable(strategies.get(Strategy.REACTIVE_AUTOSCALE.label()));
    Optional<Figures> staticPeak = Optional.ofNullable(strategies.get(Strategy.STATIC_PEAK.label()));
    if (flowcast.isPresent() && reactiveAutoscale.isPresent()) {
      Figures f = flowcast.get();
      Figures r = reactiveAutoscale.get();
      double fewer = r.slaMisses() == 0 ? 0 : 1 - (double) f.slaMisses() / r.slaMisses();
      double costRatio = r.cost() <= 0 ? 0 : f.cost() / r.cost();
      goals.add(new Goal("flowcast at least 50% fewer SLA misses than reactive-autoscale at at most 1.05x its cost",
          fewer >= 0.5 && costRatio <= 1.05, String.format(Locale.ROOT, "SLA misses %d vs %d (%.1f%% fewer); cost %.2fx",
              f.slaMisses(), r.slaMisses(), fewer * 100, costRatio)));
    }
    if (flowcast.isPresent() && staticPeak.isPresent()) {
      Figures f = flowcast.get();
      Figures p = staticPeak.get();
      double saving = p.cost() <= 0 ? 0 : 1 - f.cost() / p.cost();
      goals.add(new Goal("flowcast at least 30% cheaper than static-peak with at most 1.1x its SLA misses",
          saving >= 0.3 && f.slaMisses() <= 1.1 * p.slaMisses(), String.format(Locale.ROOT,
              "%.1f%% cheaper; SLA misses %d vs %d", saving * 100, f.slaMisses(), p.slaMisses())));
    }
    if (flowcast.isPresent() && oracle.isPresent()) {
      double over = oracle.get().cost() <= 0 ? 0 : flowcast.get().cost() / oracle.get().cost() - 1;
      goals.add(new Goal("flowcast within 15% of oracle's cost", over <= 0.15,
          String.format(Locale.ROOT, "%.1f%% above oracle", over * 100)));
    }
    return goals;
  }

  public boolean goalsMet() {
    return goals.stream().allMatch(Goal::met);
  }

  /** The JSON shape of the report (timelines are for the plot only). */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("strategies", strategies);
    json.put("replay", replay);
    json.put("goals", goals);
    return json;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  /** Nearest rank; 0 for no values. */
  static double percentile(List<Double> values, int percent) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return round(sorted.get(Math.max(0, rank - 1)), 3);
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
