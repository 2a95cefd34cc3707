package dev.flowcast.composer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A candidate workflow and its score. */
public record ScoredWorkflow(Workflow workflow, Score score) {

  /** Plain values for the decision log and the REST answer: steps and score parts. */
  public Map<String, Object> explain() {
    List<Map<String, Object>> steps = workflow.tasks().stream().map(Task::explain).toList();
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("total", score.total());
    parts.put("probability", score.probability());
    parts.put("fit", score.fit());
    parts.put("cost", score.cost());
    parts.put("risk", score.risk());
    parts.put("feasible", score.feasible());
    parts.put("costPerRun", score.costPerRun());
    Map<String, Object> explained = new LinkedHashMap<>();
    explained.put("steps", steps);
    explained.put("score", parts);
    return explained;
  }

  /**
   * The cost of a run in USD for people to read, to three significant digits: a step of a few
   * seconds costs a few millionths of a dollar, which a fixed number of decimals shows as 0.
   */
  String costPerRunInWords() {
    return new BigDecimal(score.costPerRun()).round(new MathContext(3)).stripTrailingZeros().toPlainString()
        + " USD per run";
  }
}
