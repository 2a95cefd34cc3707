package dev.flowcast.composer;

import dev.flowcast.resources.ResourceDemand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Composes again what is left of a running composed workflow, under current conditions (profile,
 * prices, observed durations) and the same user's rights, for the adaptive component to switch to.
 */
public interface Recomposer {

  /** The workflow a deployed composed definition runs, read back from its BPMN. */
  Optional<Workflow> workflowOf(String processDefinitionId);

  /**
   * Scores staying and every alternative on the remaining steps only. Call it inside a
   * transaction: it takes the capacity lock, so what it sees free stays free until the caller
   * has reserved.
   */
  Recomposition recompose(Request request);

  /** Deploys the workflow (once per composition, as the composer does) and gives its definition id. */
  String deploy(Workflow workflow);

  /**
   * @param finished steps that have completed: they keep their binding and are not scored
   * @param held steps that keep their binding and are scored (running, not restartable)
   * @param heldByInstance what the instance has reserved: free again for its own re-composition
   */
  record Request(
      Workflow current, String user, Set<String> finished, Set<String> held,
      Map<String, ResourceDemand> heldByInstance) {

    public Request {
      finished = Set.copyOf(finished);
      held = Set.copyOf(held);
      heldByInstance = Map.copyOf(heldByInstance);
    }
  }

  /**
   * Whole workflows, scored on what remains of them.
   *
   * @param stay the current workflow
   * @param alternatives the other candidates, best first; infeasible ones last
   */
  record Recomposition(ScoredWorkflow stay, List<ScoredWorkflow> alternatives, int candidateCount) {

    public Recomposition {
      alternatives = List.copyOf(alternatives);
    }

    public Optional<ScoredWorkflow> best() {
      return alternatives.stream().filter(s -> s.score().feasible()).findFirst();
    }
  }
}
