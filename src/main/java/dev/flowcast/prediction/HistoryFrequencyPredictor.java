package dev.flowcast.prediction;

import dev.flowcast.config.ProcessKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;

/**
 * The frequency prior: how often this user started each composed workflow, from the engine's own
 * history, with add-one smoothing so an intent never tried keeps a chance.
 */
class HistoryFrequencyPredictor implements IntentPredictor {

  static final String SOURCE = "history-frequency";
  private static final int HISTORY_WINDOW = 1000;

  private final HistoryService history;

  HistoryFrequencyPredictor(HistoryService history) {
    this.history = history;
  }

  @Override
  public IntentPrediction predict(String user, Set<String> intents, Instant now) {
    Map<String, Integer> starts = new HashMap<>();
    List<HistoricProcessInstance> recent =
        history
            .createHistoricProcessInstanceQuery()
            .startedBy(user)
            .startedBefore(java.util.Date.from(now))
            .orderByProcessInstanceStartTime()
            .desc()
            .listPage(0, HISTORY_WINDOW);
    for (HistoricProcessInstance instance : recent) {
      ProcessKeys.intentOf(instance.getProcessDefinitionKey())
          .filter(intents::contains)
          .ifPresent(intent -> starts.merge(intent, 1, Integer::sum));
    }
    double total = starts.values().stream().mapToInt(Integer::intValue).sum() + intents.size();
    List<IntentPrediction.RankedIntent> ranking = new ArrayList<>();
    for (String intent : intents) {
      ranking.add(
          new IntentPrediction.RankedIntent(intent, (starts.getOrDefault(intent, 0) + 1) / total));
    }
    return new IntentPrediction(ranking, SOURCE);
  }
}
