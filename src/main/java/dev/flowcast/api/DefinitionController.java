package dev.flowcast.api;

import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /flowcast/api/definitions/summary?processDefinitionId=}: one composed definition as
 * Cockpit's definition view lacks it: its template, bindings and component versions, and the
 * instances the caller may read that ran on it (how many, their mean cost and duration, the
 * switches away from it).
 */
@RestController
class DefinitionController {

  /** The newest instances of a definition that a summary reads the decisions of. */
  static final int MAX_INSTANCES = 200;
  static final int INSTANCES_LISTED = 20;
  private static final Set<String> SWITCHED = Set.of("MIGRATED", "RESTARTED");

  private final RepositoryService repository;
  private final HistoryService history;
  private final AuthorizationService authorizations;
  private final Recomposer recomposer;
  private final DecisionLog decisions;

  DefinitionController(RepositoryService repository, HistoryService history, AuthorizationService authorizations,
      Recomposer recomposer, DecisionLog decisions) {
    this.repository = repository;
    this.history = history;
    this.authorizations = authorizations;
    this.recomposer = recomposer;
    this.decisions = decisions;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/definitions/summary")
  Map<String, Object> summary(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @RequestParam String processDefinitionId) {
    ProcessDefinition definition =
        repository.createProcessDefinitionQuery().processDefinitionId(processDefinitionId).singleResult();
    if (definition == null || !mayRead(caller, definition.getKey())) {
      throw new NotFoundException("no process definition '" + processDefinitionId + "' that you may read");
    }
    if (!ProcessKeys.isComposed(definition.getKey())) {
      throw new NotFoundException("process definition '" + processDefinitionId
          + "' is not composed by Flowcast (composed keys start with flowcast-, the queue aside)");
    }
    Workflow workflow = recomposer.workflowOf(processDefinitionId).orElseThrow(() -> new NotFoundException(
        "process definition '" + processDefinitionId + "' has no Flowcast steps to read back"));

    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("processDefinitionId", definition.getId());
    answer.put("key", definition.getKey());
    answer.put("version", definition.getVersion());
    answer.put("versionTag", definition.getVersionTag());
    answer.put("intent", workflow.intent());
    answer.put("template", Map.of("name", workflow.template().name(), "source", workflow.template().source()));
    answer.put("steps", workflow.tasks().stream().map(DefinitionController::step).toList());
    answer.put("declaredSeconds", workflow.declaredSeconds());
    answer.putAll(instances(caller, processDefinitionId));
    return answer;
  }

  private boolean mayRead(ApiUser caller, String key) {
    return caller.isAdmin()
        || authorizations.isUserAuthorized(caller.id(), caller.groups(), Permissions.READ, Resources.PROCESS_DEFINITION, key);
  }

  /** What ran on the definition, from the decisions the caller may read. */
  private Map<String, Object> instances(ApiUser caller, String processDefinitionId) {
    String user = caller.isAdmin() ? null : caller.id();
    // composed on it, started on it directly, or switched onto it: newest first
    Set<String> ids = new LinkedHashSet<>();
    for (Decision decision : decisions.find(
        new DecisionQuery(user, null, processDefinitionId, null, null, DecisionQuery.MAX_LIMIT))) {
      boolean ranHere = switch (decision.kind()) {
        case COMPOSITION -> "STARTED".equals(decision.status());
        case DIRECT_START -> true;
        case SWITCH -> SWITCHED.contains(decision.status());
        default -> false;
      };
      if (ranHere && decision.processInstanceId() != null && ids.size() < MAX_INSTANCES) {
        ids.add(decision.processInstanceId());
      }
    }
    Map<String, HistoricProcessInstance> historic = ids.isEmpty() ? Map.of()
        : history.createHistoricProcessInstanceQuery().processInstanceIds(ids).list().stream()
            .collect(Collectors.toMap(HistoricProcessInstance::getId, Function.identity()));

    List<Map<String, Object>> listed = new ArrayList<>();
    List<Map<String, Object>> switchesAway = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    int switchedOnto = 0;
    for (String id : ids) {
      List<Decision> timeline = decisions.find(new DecisionQuery(user, id, DecisionQuery.MAX_LIMIT)).stream()
          .sorted(Comparator.comparing(Decision::decidedAt)).toList();
      double cost = timeline.stream().filter(d -> d.kind() == Decision.Kind.STEP)
          .mapToDouble(d -> number(d.details().get("cost"))).sum();
      long switches = 0;
      for (Decision d : timeline) {
        if (d.kind() != Decision.Kind.SWITCH) {
          continue;
        }
        if (processDefinitionId.equals(d.details().get("from")) && SWITCHED.contains(d.status())) {
          switches++;
          switchesAway.add(switchAway(d));
        } else if (processDefinitionId.equals(d.processDefinitionId()) && SWITCHED.contains(d.status())) {
          switchedOnto++;
        }
      }
      HistoricProcessInstance instance = historic.get(id);
      String state = instance == null ? "UNKNOWN" : instance.getState();
      Double duration = instance == null || instance.getDurationInMillis() == null
          ? null : instance.getDurationInMillis() / 1000.0;
      if ("COMPLETED".equals(state)) {
        costs.add(cost);
        if (duration != null) {
          seconds.add(duration);
        }
      }
      if (listed.size() < INSTANCES_LISTED) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("processInstanceId", id);
        row.put("user", timeline.isEmpty() ? null : timeline.get(0).user());
        row.put("state", state);
        row.put("startedAt", instance == null ? null : instance.getStartTime().toInstant().toString());
        row.put("seconds", duration);
        row.put("cost", cost);
        row.put("switches", switches);
        listed.add(row);
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("instanceCount", ids.size());
    answer.put("completedCount", costs.size());
    answer.put("switchedOntoCount", switchedOnto);
    answer.put("meanCost", mean(costs));
    answer.put("meanSeconds", mean(seconds));
    answer.put("switchesAway", switchesAway);
    answer.put("instances", listed);
    answer.put("readScope", caller.isAdmin() ? "everyone's instances" : "your own instances");
    return answer;
  }

  private static Map<String, Object> step(Task task) {
    Map<String, Object> step = new LinkedHashMap<>(task.explain());
    step.put("declaredSeconds", task.component().expectedDuration().toMillis() / 1000.0);
    return step;
  }

  private static Map<String, Object> switchAway(Decision d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("processInstanceId", d.processInstanceId());
    row.put("decidedAt", d.decidedAt().toString());
    row.put("status", d.status());
    row.put("to", d.details().get("to"));
    row.put("reason", d.reason());
    return row;
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  private static Double mean(List<Double> values) {
    OptionalDouble mean = values.stream().mapToDouble(Double::doubleValue).average();
    return mean.isPresent() ? mean.getAsDouble() : null;
  }
}
