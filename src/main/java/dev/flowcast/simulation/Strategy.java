package dev.flowcast.simulation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One way to run the replayed requests. Every strategy goes through the real composer and engine;
 * they differ in how bindings are chosen, what the composer is told about intents and future load,
 * whether the adaptive watcher may switch running instances, and, when the pools are elastic, how
 * their size is decided.
 */
public enum Strategy {
  /** Each intent's template with on-demand bindings, deployed once, run whatever the load. */
  STATIC_ON_DEMAND("static-on-demand", Binding.ON_DEMAND, Forecast.TREND, false, false, Sizing.CATALOG),
  /** Each intent's cheapest bindings (spot where a component allows it), run whatever the load. */
  STATIC_CHEAPEST("static-cheapest", Binding.CHEAPEST, Forecast.TREND, false, false, Sizing.CATALOG),
  /** Flowcast's scoring without prediction: uniform intent probabilities, trend projection, no switches. */
  REACTIVE("reactive", Binding.SCORED, Forecast.TREND, false, false, Sizing.CATALOG),
  /**
   * Flowcast as configured: the context's intent predictor and demand forecaster, adaptive
   * switches; elastic pools sized by the predictive planner from the intents and the series.
   */
  FLOWCAST("flowcast", Binding.SCORED, Forecast.CONFIGURED, true, true, Sizing.PREDICTED),
  /** Flowcast that knows the future: the true intent, the actual load ahead, the actual arrivals for the planner. */
  ORACLE("oracle", Binding.SCORED, Forecast.ORACLE, true, true, Sizing.FORESEEN),
  /** Ablation: flowcast without adaptive switches. */
  FLOWCAST_WITHOUT_ADAPTIVE("flowcast-without-adaptive", Binding.SCORED, Forecast.CONFIGURED, true, false,
      Sizing.PREDICTED),
  /** Ablation: flowcast with uniform intent probabilities (and a planner that sees the series only). */
  FLOWCAST_WITHOUT_INTENTS("flowcast-without-intents", Binding.SCORED, Forecast.CONFIGURED, false, true,
      Sizing.SERIES),
  /** Elastic pools sized once for the replay's peak demand, never changed. */
  STATIC_PEAK("static-peak", Binding.SCORED, Forecast.TREND, false, false, Sizing.PEAK),
  /** Elastic pools sized once for the replay's mean demand, never changed. */
  STATIC_MEAN("static-mean", Binding.SCORED, Forecast.TREND, false, false, Sizing.MEAN),
  /** The KEDA/HPA rule on queued and running demand, Flowcast's scoring without prediction. */
  REACTIVE_AUTOSCALE("reactive-autoscale", Binding.SCORED, Forecast.TREND, false, false, Sizing.REACTIVE),
  /** Ablation: flowcast whose planner is fed the series forecast only, no intents. */
  FLOWCAST_SERIES_ONLY("flowcast-series-only", Binding.SCORED, Forecast.CONFIGURED, true, true, Sizing.SERIES),
  /** Ablation: flowcast whose planner is fed the intents of active users and the series, not the weekly rhythm. */
  FLOWCAST_WITHOUT_ARRIVALS("flowcast-without-arrivals", Binding.SCORED, Forecast.CONFIGURED, true, true,
      Sizing.INTENTS);

  public static final List<Strategy> MAIN = List.of(STATIC_ON_DEMAND, STATIC_CHEAPEST, REACTIVE, FLOWCAST, ORACLE);
  public static final List<Strategy> ABLATIONS = List.of(FLOWCAST_WITHOUT_ADAPTIVE, FLOWCAST_WITHOUT_INTENTS);
  /** The strategies on elastic pools. */
  public static final List<Strategy> ELASTIC = List.of(STATIC_PEAK, STATIC_MEAN, REACTIVE_AUTOSCALE, FLOWCAST,
      FLOWCAST_WITHOUT_ARRIVALS, FLOWCAST_SERIES_ONLY, ORACLE);

  /** How a strategy picks the bindings of a request. */
  enum Binding { ON_DEMAND, CHEAPEST, SCORED }

  /** What a strategy projects the background load with. */
  enum Forecast { TREND, CONFIGURED, ORACLE }

  /**
   * How a strategy sizes elastic pools: the catalog's fixed capacity (today's strategies, which
   * never run on elastic pools), fixed at the peak or mean demand, or planned every tick from
   * demand now, the series, the intents and the series, all of those and the requests expected
   * unannounced, or the actual arrivals.
   */
  enum Sizing {
    CATALOG, PEAK, MEAN, REACTIVE, SERIES, INTENTS, PREDICTED, FORESEEN;

    /** Whether a planner changes the pools during the replay. */
    boolean planned() {
      return this == REACTIVE || this == SERIES || this == INTENTS || this == PREDICTED || this == FORESEEN;
    }
  }

  private final String label;
  final Binding binding;
  final Forecast forecast;
  final boolean predictsIntents;
  final boolean adaptive;
  final Sizing sizing;

  Strategy(String label, Binding binding, Forecast forecast, boolean predictsIntents, boolean adaptive, Sizing sizing) {
    this.sizing = sizing;
    this.label = label;
    this.binding = binding;
    this.forecast = forecast;
    this.predictsIntents = predictsIntents;
    this.adaptive = adaptive;
  }

  public String label() {
    return label;
  }

  /** Whether it only makes sense on elastic pools. */
  public boolean needsElasticPools() {
    return sizing == Sizing.PEAK || sizing == Sizing.MEAN || sizing == Sizing.REACTIVE || this == FLOWCAST_SERIES_ONLY
        || this == FLOWCAST_WITHOUT_ARRIVALS;
  }

  /** Whether it runs on elastic pools when the replay has them (today's static and reactive strategies do not). */
  public boolean runsOnElasticPools() {
    return sizing != Sizing.CATALOG;
  }

  public static Optional<Strategy> byLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
