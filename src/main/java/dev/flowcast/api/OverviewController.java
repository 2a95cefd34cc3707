package dev.flowcast.api;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionCount;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstanceQuery;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /flowcast/api/overview?since=}: what a dashboard shows, over what the caller may read:
 * decisions by kind and outcome since an instant (midnight UTC by default), the queued requests,
 * and the latest switches.
 */
@RestController
class OverviewController {

  static final int LISTED = 10;

  private final DecisionLog decisions;
  private final RuntimeService runtime;
  private final HistoryService history;
  private final Clock clock;

  OverviewController(DecisionLog decisions, RuntimeService runtime, HistoryService history, Clock clock) {
    this.decisions = decisions;
    this.runtime = runtime;
    this.history = history;
    this.clock = clock;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/overview")
  Map<String, Object> overview(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @RequestParam(required = false) String since) {
    Instant from = since(since);
    String user = caller.isAdmin() ? null : caller.id();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("since", from.toString());
    answer.put("readScope", caller.isAdmin() ? "everyone's decisions" : "your own decisions");
    answer.put("decisions", decisions.count(user, from).stream().map(OverviewController::count).toList());
    answer.put("queue", queue(user));
    answer.put("switches", decisions.find(new DecisionQuery(user, null, null, Decision.Kind.SWITCH, from, LISTED))
        .stream().map(OverviewController::switchRow).toList());
    return answer;
  }

  private static final Instant LATEST_SINCE = Instant.parse("9999-12-31T23:59:59Z");

  private Instant since(String since) {
    if (since == null || since.isBlank()) {
      return LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    Instant from;
    try {
      from = Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("since must be an ISO-8601 instant, e.g. 2026-11-24T00:00:00Z; got '" + since + "'");
    }
    // what the database's timestamps hold; beyond it the comparison would wrap around
    if (from.isBefore(Instant.EPOCH) || from.isAfter(LATEST_SINCE)) {
      throw new BadRequestException("since must be between 1970-01-01T00:00:00Z and " + LATEST_SINCE + "; got '" + since + "'");
    }
    return from;
  }

  private Map<String, Object> queue(String user) {
    ProcessInstanceQuery query = runtime.createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE);
    if (user != null) {
      query.variableValueEquals(ProcessVariables.USER, user);
    }
    List<String> ids = query.orderByProcessInstanceId().asc().list().stream().map(p -> p.getId()).toList();
    List<Map<String, Object>> requests = ids.isEmpty() ? List.of()
        : history.createHistoricProcessInstanceQuery().processInstanceIds(new HashSet<>(ids))
            .orderByProcessInstanceStartTime().asc().listPage(0, LISTED).stream().map(OverviewController::queued).toList();
    return Map.of("length", ids.size(), "oldest", requests);
  }

  private static Map<String, Object> queued(HistoricProcessInstance instance) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("processInstanceId", instance.getId());
    row.put("since", instance.getStartTime().toInstant().toString());
    row.put("businessKey", instance.getBusinessKey());
    return row;
  }

  private static Map<String, Object> count(DecisionCount count) {
    return Map.of("kind", count.kind().name(), "status", count.status(), "count", count.count());
  }

  private static Map<String, Object> switchRow(Decision d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("processInstanceId", d.processInstanceId());
    row.put("decidedAt", d.decidedAt().toString());
    row.put("status", d.status());
    row.put("user", d.user());
    row.put("intent", d.intent());
    row.put("reason", d.reason());
    return row;
  }
}
