package dev.flowcast.simulation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One way to run the replayed requests. Every strategy goes through the real composer and engine;
 * they differ in how bindings are chosen, what the composer is told about intents and future load,
 * and whether the adaptive watcher may switch running instances.
 */
public enum Strategy {
  /** Each intent's template with on-demand bindings, deployed once, run whatever the load. */
  STATIC_ON_DEMAND("static-on-demand", Binding.ON_DEMAND, Forecast.TREND, false, false),
  /** Each intent's cheapest bindings (spot where a component allows it), run whatever the load. */
  STATIC_CHEAPEST("static-cheapest", Binding.CHEAPEST, Forecast.TREND, false, false),
  /** Flowcast's scoring without prediction: uniform intent probabilities, trend projection, no switches. */
  REACTIVE("reactive", Binding.SCORED, Forecast.TREND, false, false),
  /** Flowcast as configured: the context's intent predictor and demand forecaster, adaptive switches. */
  FLOWCAST("flowcast", Binding.SCORED, Forecast.CONFIGURED, true, true),
  /** Flowcast that knows the future: the true intent and the actual background load ahead. */
  ORACLE("oracle", Binding.SCORED, Forecast.ORACLE, true, true),
  /** Ablation: flowcast without adaptive switches. */
  FLOWCAST_WITHOUT_ADAPTIVE("flowcast-without-adaptive", Binding.SCORED, Forecast.CONFIGURED, true, false),
  /** Ablation: flowcast with uniform intent probabilities. */
  FLOWCAST_WITHOUT_INTENTS("flowcast-without-intents", Binding.SCORED, Forecast.CONFIGURED, false, true);

  public static final List<Strategy> MAIN = List.of(STATIC_ON_DEMAND, STATIC_CHEAPEST, REACTIVE, FLOWCAST, ORACLE);
  public static final List<Strategy> ABLATIONS = List.of(FLOWCAST_WITHOUT_ADAPTIVE, FLOWCAST_WITHOUT_INTENTS);

  /** How a strategy picks the bindings of a request. */
  enum Binding { ON_DEMAND, CHEAPEST, SCORED }

  /** What a strategy projects the background load with. */
  enum Forecast { TREND, CONFIGURED, ORACLE }

  private final String label;
  final Binding binding;
  final Forecast forecast;
  final boolean predictsIntents;
  final boolean adaptive;

  Strategy(String label, Binding binding, Forecast forecast, boolean predictsIntents, boolean adaptive) {
    this.label = label;
    this.binding = binding;
    this.forecast = forecast;
    this.predictsIntents = predictsIntents;
    this.adaptive = adaptive;
  }

  public String label() {
    return label;
  }

  public static Optional<Strategy> byLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
