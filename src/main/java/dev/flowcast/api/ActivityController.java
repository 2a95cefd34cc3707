package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.activity.ActivityParser;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import dev.flowcast.activity.EventTimes;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.prediction.IntentPredictor;
import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Activity in: {@code POST /flowcast/api/activity} (a JSON array or NDJSON; a batch with any
 * invalid event is refused whole, 400 with every line and reason) and
 * {@code POST /flowcast/api/activity/import} (a CSV event log with a column mapping, camunda-admin
 * only). Users may send their own activity; members of camunda-admin anyone's.
 */
@RestController
class ActivityController {

  private final ActivityLog activity;
  private final ActivityParser parser;
  private final IntentPredictor predictor;
  private final Clock clock;
  private final Duration maxAhead;

  ActivityController(ActivityLog activity, ObjectMapper json, IntentPredictor predictor, Clock clock,
      FlowcastProperties properties) {
    this.activity = activity;
    this.clock = clock;
    this.maxAhead = properties.activity().maxAhead();
    this.parser = new ActivityParser(json, clock, maxAhead);
    this.predictor = predictor;
  }

  @PostMapping(path = ApiConfiguration.API_PATH + "/activity", consumes = {MediaType.APPLICATION_JSON_VALUE, ApiConfiguration.NDJSON})
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> ingest(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    List<ActivityEvent> events = parser.parse(body);
    if (!caller.isAdmin()) {
      events.stream().filter(e -> !e.user().equals(caller.id())).findFirst().ifPresent(e -> {
        throw new ForbiddenException("only members of camunda-admin send other users' activity ('" + e.user() + "')");
      });
    }
    activity.append(events, ActivityLog.Source.REST);
    events.stream().map(ActivityEvent::user).distinct().forEach(predictor::forget);
    return Map.of("stored", events.size());
  }

  @PostMapping(path = ApiConfiguration.API_PATH + "/activity/import", consumes = ApiConfiguration.CSV)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> importCsv(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @RequestParam(defaultValue = "CaseID") String caseColumn,
      @RequestParam(defaultValue = "ActivityID") String activityColumn,
      @RequestParam(defaultValue = "CompleteTimestamp") String timeColumn,
      @RequestParam(defaultValue = "yyyy-MM-dd HH:mm:ss") String timeFormat,
      @RequestParam(required = false) String userColumn,
      @RequestParam(required = false) List<String> attributeColumn,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) throws IOException {
    if (!caller.isAdmin()) {
      throw new ForbiddenException("only members of camunda-admin import event logs");
    }
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send the CSV event log");
    }
    CsvMapping mapping = new CsvMapping(caseColumn, activityColumn, timeColumn, timeFormat, userColumn, attributeColumn);
    List<ActivityEvent> events;
    try {
      events = CsvEventLogReader.readToKeep(new StringReader(body), mapping, new EventTimes(clock.instant().plus(maxAhead)));
    } catch (CsvEventLogReader.InvalidLogException | IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    activity.append(events, ActivityLog.Source.IMPORT);
    return Map.of("stored", events.size());
  }

  @ExceptionHandler(ActivityParser.InvalidBatchException.class)
  ResponseEntity<Map<String, Object>> invalid(ActivityParser.InvalidBatchException e) {
    ApiError error = ApiError.of(HttpStatus.BAD_REQUEST, e.getMessage());
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("timestamp", error.timestamp());
    body.put("status", error.status());
    body.put("error", error.error());
    body.put("message", error.message());
    body.put("problems", e.problems());
    return ResponseEntity.badRequest().body(body);
  }
}
