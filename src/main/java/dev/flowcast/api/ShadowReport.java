package dev.flowcast.api;

import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;

/**
 * Shadow mode's evidence for one intent: over the requests that ran the static binding while
 * Flowcast only shadowed them, what the static runs cost and took (measured: their steps' costs,
 * their instances' durations) beside what Flowcast would have chosen (projected cost and expected
 * duration at the moment of the request).
 */
final class ShadowReport {

  private ShadowReport() {}

  static Map<String, Object> of(String intent, List<Decision> compositions, DecisionLog decisions,
      HistoryService history) {
    List<Double> staticCost = new ArrayList<>();
    List<Double> staticSeconds = new ArrayList<>();
    List<Double> staticProjectedCost = new ArrayList<>();
    List<Double> wouldBeCost = new ArrayList<>();
    List<Double> wouldBeSeconds = new ArrayList<>();
    int ended = 0;
    int wouldHaveQueued = 0;
    int differentChoice = 0;
    for (Decision composition : compositions) {
      Map<?, ?> ran = (Map<?, ?>) composition.details().get("static");
      Map<?, ?> wouldBe = (Map<?, ?>) composition.details().get("wouldBe");
      staticProjectedCost.add(costPerRun(ran));
      if (wouldBe == null || wouldBe.containsKey("queued")) {
        wouldHaveQueued++;
      } else {
        wouldBeCost.add(costPerRun(wouldBe));
        wouldBeSeconds.add(((Number) wouldBe.get("expectedSeconds")).doubleValue());
        if (!ran.get("steps").equals(wouldBe.get("steps"))) {
          differentChoice++;
        }
      }
      HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
          .processInstanceId(composition.processInstanceId()).singleResult();
      if (instance != null && instance.getEndTime() != null) {
        ended++;
        staticSeconds.add(Duration.between(instance.getStartTime().toInstant(), instance.getEndTime().toInstant())
            .toMillis() / 1000.0);
        staticCost.add(decisions.find(new DecisionQuery(null, composition.processInstanceId(), DecisionQuery.MAX_LIMIT))
            .stream().filter(d -> d.kind() == Decision.Kind.STEP)
            .map(d -> d.details().get("cost")).filter(Number.class::isInstance)
            .mapToDouble(c -> ((Number) c).doubleValue()).sum());
      }
    }
    Map<String, Object> staticSide = new LinkedHashMap<>();
    staticSide.put("runs", compositions.size());
    staticSide.put("ended", ended);
    staticSide.put("meanMeasuredCost", mean(staticCost));
    staticSide.put("meanMeasuredSeconds", mean(staticSeconds));
    staticSide.put("meanProjectedCost", mean(staticProjectedCost));
    Map<String, Object> flowcastSide = new LinkedHashMap<>();
    flowcastSide.put("wouldHaveChosenDifferently", differentChoice);
    flowcastSide.put("wouldHaveQueued", wouldHaveQueued);
    flowcastSide.put("meanProjectedCost", mean(wouldBeCost));
    flowcastSide.put("meanExpectedSeconds", mean(wouldBeSeconds));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("intent", intent);
    report.put("static", staticSide);
    report.put("wouldBe", flowcastSide);
    return report;
  }

  private static double costPerRun(Map<?, ?> side) {
    return ((Number) ((Map<?, ?>) side.get("score")).get("costPerRun")).doubleValue();
  }

  private static Double mean(List<Double> values) {
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
