package dev.flowcast.simulation;

import dev.flowcast.config.FlowcastProperties;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code simulate --tune} found: every trial on the tuning replay, the best of them, and the
 * configured and best weights side by side on the held-back replay.
 *
 * @param adopt whether the best weights beat the configured ones on the held-back replay too
 */
public record TuningReport(FlowcastProperties.Scoring configured, List<Trial> trials, Trial best,
    SimulationReport.Figures configuredHeldBack, SimulationReport.Figures bestHeldBack, Map<String, Object> tunedOn,
    Map<String, Object> judgedOn) {

  /** One set of weights and how flowcast fared with it. */
  public record Trial(FlowcastProperties.Scoring weights, SimulationReport.Figures figures) {}

  /** The cheapest trial with no more SLA misses than the first (the configured weights). */
  static Trial best(List<Trial> trials) {
    int allowed = trials.get(0).figures().slaMisses();
    return trials.stream()
        .filter(t -> t.figures().lost() == 0 && t.figures().slaMisses() <= allowed)
        .min(Comparator.comparingDouble((Trial t) -> t.figures().cost())
            .thenComparingInt(t -> t.figures().slaMisses()))
        .orElse(trials.get(0));
  }

  public boolean adopt() {
    return best.weights() != configured
        && bestHeldBack.cost() < configuredHeldBack.cost()
        && bestHeldBack.slaMisses() <= configuredHeldBack.slaMisses()
        && bestHeldBack.lost() == 0;
  }

  /** The JSON shape of the report. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("configured", configured);
    json.put("best", best);
    json.put("trials", trials);
    json.put("heldBack", Map.of("configured", configuredHeldBack, "best", bestHeldBack));
    json.put("adopt", adopt());
    json.put("tunedOn", tunedOn);
    json.put("judgedOn", judgedOn);
    return json;
  }
}
