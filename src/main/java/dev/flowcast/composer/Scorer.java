package dev.flowcast.composer;

import dev.flowcast.resources.ResourceProfile;
import java.util.List;

/**
 * Scores candidate workflows of one intent against the free capacity and prices. Declare a bean
 * of this type to replace the default weighted sum.
 *
 * @see WeightedScorer
 */
public interface Scorer {

  /**
   * @param probability the predicted probability of the candidates' intent for the user
   * @return the candidates with their scores, best first
   */
  List<ScoredWorkflow> score(List<Workflow> candidates, double probability, ResourceProfile profile);

  /** The default weighted sum with other weights: for a harness that compares weights (simulate --tune). */
  static Scorer weighted(dev.flowcast.config.FlowcastProperties.Scoring weights, DurationEstimates durations) {
    return new WeightedScorer(weights, durations);
  }
}
