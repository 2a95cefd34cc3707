package dev.flowcast.prediction;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A ranked distribution over intents for one user: probabilities sum to 1, highest first;
 * {@code source} says which model answered ({@code xgboost}, or a baseline and why), and
 * {@code modelVersion} which trained model, if one did.
 */
public record IntentPrediction(List<RankedIntent> ranking, String source, Integer modelVersion) {

  public IntentPrediction(List<RankedIntent> ranking, String source) {
    this(ranking, source, null);
  }

  /** One intent and its probability. */
  public record RankedIntent(String intent, double probability) {}

  public IntentPrediction {
    if (ranking.isEmpty()) {
      throw new IllegalArgumentException("a prediction ranks at least one intent");
    }
    ranking =
        ranking.stream()
            .sorted(
                Comparator.comparingDouble(RankedIntent::probability)
                    .reversed()
                    .thenComparing(RankedIntent::intent))
            .toList();
  }

  public Optional<RankedIntent> top() {
    return ranking.stream().findFirst();
  }

  public double probabilityOf(String intent) {
    return ranking.stream()
        .filter(ranked -> ranked.intent().equals(intent))
        .mapToDouble(RankedIntent::probability)
        .findFirst()
        .orElse(0.0);
  }
}
