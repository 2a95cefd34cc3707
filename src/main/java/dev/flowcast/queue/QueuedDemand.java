package dev.flowcast.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.resources.ResourceDemand;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.VariableInstance;

/**
 * What the requests waiting in the queue need, per pool: each at the peak of the best candidate it
 * was queued with. Read from the engine, so every node of a cluster sees the same.
 */
public class QueuedDemand {

  private static final TypeReference<Map<String, ResourceDemand>> BY_POOL = new TypeReference<>() {};

  private final RuntimeService runtime;
  private final ObjectMapper json;

  QueuedDemand(RuntimeService runtime, ObjectMapper json) {
    this.runtime = runtime;
    this.json = json;
  }

  /** The demand of every request queued now, summed per pool. */
  public Map<String, ResourceDemand> perPool() {
    Map<String, ResourceDemand> total = new HashMap<>();
    for (VariableInstance variable :
        runtime.createVariableInstanceQuery().variableName(ProcessVariables.QUEUED_DEMAND).list()) {
      if (variable.getValue() instanceof String text) {
        try {
          json.readValue(text, BY_POOL).forEach((pool, demand) -> total.merge(pool, demand, ResourceDemand::plus));
        } catch (JsonProcessingException e) {
          // written by this class; a value that does not read counts for nothing rather than failing the tick
        }
      }
    }
    return total;
  }

  static String toJson(ObjectMapper json, Map<String, ResourceDemand> byPool) {
    try {
      return json.writeValueAsString(byPool);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a demand per pool is always written as JSON", e);
    }
  }
}
