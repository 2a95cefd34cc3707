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

  /**
   * Whether a workflow chosen from this scorer's answer a moment ago still fits a newer profile:
   * the check under the capacity lock, since another request may have taken capacity meanwhile.
   * By default the workflow is scored again.
   */
  default boolean stillFits(Workflow chosen, double probability, ResourceProfile profile) {
    return score(List.of(chosen), probability, profile).get(0).score().feasible();
  }

  /** The default weighted sum with other weights: for a harness that compares weights (simulate --tune). */
  static Scorer weighted(dev.flowcast.config.FlowcastProperties.Scoring weights, DurationEstimates durations) {
    return new WeightedScorer(weights, durations);
  }
}
