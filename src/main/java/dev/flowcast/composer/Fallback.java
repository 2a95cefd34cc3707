package dev.flowcast.composer;

import dev.flowcast.prediction.IntentPrediction;
import java.util.List;
import java.util.Map;

/**
 * What happens to a request when no candidate fits: by default it is queued in the
 * {@code flowcast-queue} process and more capacity is asked for. Declare a bean of this type to
 * replace it. It must not drop the request.
 */
public interface Fallback {

  /** A composition that found nothing to start. */
  record Unfitted(
      CompositionRequest request,
      String decisionId,
      IntentPrediction prediction,
      List<ScoredWorkflow> scored,
      String reason) {

    /**
     * The details a composition's decision logs (origin, parameters, prediction, candidates), with
     * the best candidate as the one chosen: what a fallback's own decision about it starts from.
     */
    public Map<String, Object> details() {
      return DefaultComposer.details(request, prediction, scored.isEmpty() ? null : scored.get(0), scored);
    }
  }

  /** @return the result to give the user (normally {@code QUEUED}) */
  CompositionResult nothingFits(Unfitted attempt);
}
