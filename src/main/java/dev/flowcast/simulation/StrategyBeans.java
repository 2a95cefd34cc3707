package dev.flowcast.simulation;

import dev.flowcast.composer.DurationEstimates;
import dev.flowcast.composer.Score;
import dev.flowcast.composer.ScoredWorkflow;
import dev.flowcast.composer.Scorer;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.Projection;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceProfile;
import dev.flowcast.resources.ResourceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts each strategy between the composer and the policies the context holds: whatever
 * {@link IntentPredictor}, {@link DemandForecaster} and {@link Scorer} beans there are (the learned
 * ones included) are wrapped, and answer as themselves only when the strategy uses them (or, for
 * the scorer, when no weights are being tried instead).
 */
final class StrategyBeans implements BeanPostProcessor {

  private final ReplayState state;
  private final double upperQuantileZ;

  StrategyBeans(ReplayState state, double upperQuantileZ) {
    this.state = state;
    this.upperQuantileZ = upperQuantileZ;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof IntentPredictor predictor) {
      return new StrategyIntentPredictor(predictor, state);
    }
    if (bean instanceof DemandForecaster forecaster) {
      return new StrategyForecaster(forecaster, DemandForecaster.trend(upperQuantileZ), state);
    }
    if (bean instanceof DurationEstimates estimates) {
      state.estimatesFrom(estimates);
    }
    if (bean instanceof Scorer scorer) {
      return new StrategyScorer(scorer, state);
    }
    return bean;
  }

  /** Uniform probabilities without prediction; certainty for the oracle; the context's predictor otherwise. */
  record StrategyIntentPredictor(IntentPredictor configured, ReplayState state) implements IntentPredictor {

    @Override
    public IntentPrediction predict(String user, Set<String> intents, Instant now) {
      Strategy strategy = state.strategy();
      if (strategy.forecast == Strategy.Forecast.ORACLE && state.trueIntentOf(user) != null) {
        String truth = state.trueIntentOf(user);
        return new IntentPrediction(intents.stream().sorted()
            .map(i -> new IntentPrediction.RankedIntent(i, i.equals(truth) ? 1.0 : 0.0))
            .sorted(Comparator.comparingDouble(IntentPrediction.RankedIntent::probability).reversed())
            .toList(), "oracle");
      }
      if (!strategy.predictsIntents) {
        double each = intents.isEmpty() ? 0 : 1.0 / intents.size();
        return new IntentPrediction(intents.stream().sorted()
            .map(i -> new IntentPrediction.RankedIntent(i, each)).toList(), "uniform");
      }
      return configured.predict(user, intents, now);
    }

    @Override
    public void forget(String user) {
      configured.forget(user);
    }

    @Override
    public void reload() {
      configured.reload();
    }
  }

  /** The trend for reactive and static strategies, the actual load ahead for the oracle, the context's otherwise. */
  record StrategyForecaster(DemandForecaster configured, DemandForecaster trend, ReplayState state)
      implements DemandForecaster {

    @Override
    public Projection projectUse(ResourceKind kind, List<ResourceSample> recent, Duration horizon) {
      return switch (state.strategy().forecast) {
        case TREND -> trend.projectUse(kind, recent, horizon);
        case CONFIGURED -> configured.projectUse(kind, recent, horizon);
        case ORACLE -> {
          ResourceSample last = recent.get(recent.size() - 1);
          if (kind != ResourceKind.CPU && kind != ResourceKind.MEMORY) {
            yield new Projection(last.used(kind), last.used(kind));
          }
          double ahead = state.backgroundShareAt(last.at().plus(horizon)) * last.capacity(kind);
          yield new Projection(ahead, ahead);
        }
      };
    }

    @Override
    public String name() {
      return switch (state.strategy().forecast) {
        case TREND -> trend.name();
        case CONFIGURED -> configured.name();
        case ORACLE -> "oracle";
      };
    }
  }

  /**
   * Static strategies always pick the same binding, as a deployed static BPMN would, and run it
   * whatever the free capacity; the others score with the context's scorer.
   */
  record StrategyScorer(Scorer configured, ReplayState state) implements Scorer {

    @Override
    public List<ScoredWorkflow> score(List<Workflow> candidates, double probability, ResourceProfile profile) {
      Strategy strategy = state.strategy();
      if (strategy.binding == Strategy.Binding.SCORED) {
        return state.weights() == null ? configured.score(candidates, probability, profile)
            : Scorer.weighted(state.weights(), state.durations()).score(candidates, probability, profile);
      }
      Comparator<Workflow> order = Comparator.comparingDouble(w -> declaredCost(w, profile));
      List<Workflow> eligible = strategy.binding == Strategy.Binding.ON_DEMAND
          ? candidates.stream().filter(w -> w.tasks().stream().allMatch(t -> t.pool().equals(ON_DEMAND))).toList()
          : candidates;
      return eligible.stream().min(order.thenComparing(Workflow::describe))
          .map(w -> List.of(new ScoredWorkflow(w, new Score(1, probability, 1, 1, 0, true, declaredCost(w, profile)))))
          .orElse(List.of());
    }

    private static final String ON_DEMAND = "on-demand";

    /** The price of one run at declared durations. */
    static double declaredCost(Workflow workflow, ResourceProfile profile) {
      double cost = 0;
      for (Task task : workflow.tasks()) {
        PoolCapacity pool = profile.pools().get(task.pool());
        if (pool != null) {
          cost += pool.costOf(task.requirements(), task.component().expectedDuration().toMillis() / 3_600_000.0);
        }
      }
      return cost;
    }
  }
}
