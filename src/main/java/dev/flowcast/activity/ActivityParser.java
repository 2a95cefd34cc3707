package dev.flowcast.activity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.flowcast.config.JsonMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a batch of activity events, as a JSON array or as NDJSON (one object a line), and checks
 * every one: a batch with any invalid event is refused whole, with the line (NDJSON) or position
 * (array, from 1) and reason of each.
 */
public final class ActivityParser {

  public static final int MAX_EVENTS = 10_000;
  private static final Pattern ACTION = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.:/@#+-]{0,254}");
  private static final Set<String> FIELDS = Set.of("time", "user", "action", "case", "attributes", "tags");

  /** One invalid event: where and why. */
  public record Problem(int line, String reason) {}

  /** A refused batch, with every problem found. */
  public static final class InvalidBatchException extends RuntimeException {
    private final List<Problem> problems;

    InvalidBatchException(List<Problem> problems) {
      super(problems.size() + " invalid event(s); nothing of the batch was stored");
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  private final ObjectReader json;
  private final Clock clock;
  private final Duration maxAhead;

  /**
   * @param maxAhead how far past the server's clock an event may be dated (clocks drift a little;
   *     an event from the year 99999 would be every ranking's most recent action forever)
   */
  public ActivityParser(ObjectMapper json, Clock clock, Duration maxAhead) {
    // one value per body or line, each field once: what follows a value, or a field given twice,
    // would otherwise be dropped silently
    this.json = json.reader()
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    this.clock = clock;
    this.maxAhead = maxAhead;
  }

  public List<ActivityEvent> parse(String body) {
    EventTimes times = new EventTimes(clock.instant().plus(maxAhead));
    if (body == null || body.isBlank()) {
      throw new InvalidBatchException(List.of(new Problem(1, "empty body: send a JSON array or NDJSON of events")));
    }
    List<ActivityEvent> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (body.stripLeading().startsWith("[")) {
      JsonNode array;
      try {
        array = json.readTree(body);
      } catch (JsonProcessingException e) {
        throw new InvalidBatchException(List.of(new Problem(e.getLocation() == null ? 1 : e.getLocation().getLineNr(),
            "malformed JSON: " + JsonMessages.syntaxProblem(e))));
      }
      int position = 0;
      for (JsonNode node : array) {
        check(node, ++position, times, events, problems);
      }
    } else {
      String[] lines = body.split("\r?\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        try {
          check(json.readTree(lines[i]), i + 1, times, events, problems);
        } catch (JsonProcessingException e) {
          problems.add(new Problem(i + 1, "malformed JSON: " + JsonMessages.syntaxProblem(e)));
        }
      }
    }
    if (events.size() + problems.size() > MAX_EVENTS) {
      throw new InvalidBatchException(List.of(new Problem(MAX_EVENTS + 1, "at most " + MAX_EVENTS + " events a batch")));
    }
    if (!problems.isEmpty()) {
      throw new InvalidBatchException(problems);
    }
    if (events.isEmpty()) {
      throw new InvalidBatchException(List.of(new Problem(1, "no event in the batch")));
    }
    return events;
  }

  private static void check(
      JsonNode node, int line, EventTimes times, List<ActivityEvent> events, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(new Problem(line, "an event must be a JSON object"));
      return;
    }
    List<String> reasons = new ArrayList<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        reasons.add("unknown field '" + name + "'");
      }
    }
    Instant time = null;
    JsonNode timeNode = node.get("time");
    if (timeNode == null || !timeNode.isTextual()) {
      reasons.add("'time' is required, as ISO-8601 text (2026-11-24T10:15:00Z)");
    } else {
      try {
        time = Instant.parse(timeNode.asText());
        String outside = times.problemWith(time);
        if (outside != null) {
          reasons.add("'time' " + outside);
        }
      } catch (DateTimeParseException e) {
        reasons.add("'time' is not ISO-8601: '" + timeNode.asText() + "'");
      }
    }
    String user = text(node, "user", reasons, true);
    String action = text(node, "action", reasons, true);
    if (action != null && !ACTION.matcher(action).matches()) {
      reasons.add("'action' must be 1 to 255 letters, digits, spaces or _.:/@#+-, not '" + action + "'");
    }
    String caseId = text(node, "case", reasons, false);
    Map<String, Double> attributes = new LinkedHashMap<>();
    JsonNode attributesNode = node.get("attributes");
    if (attributesNode != null && !attributesNode.isNull()) {
      if (!attributesNode.isObject()) {
        reasons.add("'attributes' must be an object of numbers");
      } else {
        attributesNode.properties().forEach(e -> {
          if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
            reasons.add("attributes." + e.getKey() + " must be a finite number");
          } else {
            attributes.put(e.getKey(), e.getValue().asDouble());
          }
        });
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode tagsNode = node.get("tags");
    if (tagsNode != null && !tagsNode.isNull()) {
      if (!tagsNode.isObject()) {
        reasons.add("'tags' must be an object of strings");
      } else {
        tagsNode.properties().forEach(e -> {
          if (!e.getValue().isTextual()) {
            reasons.add("tags." + e.getKey() + " must be a string");
          } else {
            tags.put(e.getKey(), e.getValue().asText());
          }
        });
      }
    }
    ActivityEvent event = new ActivityEvent(time, user, action, caseId, attributes, tags);
    reasons.addAll(ActivityLimits.problems(event, ActivityLimits.Fields.JSON));
    if (!reasons.isEmpty()) {
      problems.add(new Problem(line, String.join("; ", reasons)));
      return;
    }
    events.add(event);
  }

  private static String text(JsonNode node, String field, List<String> reasons, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        reasons.add("'" + field + "' is required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      reasons.add("'" + field + "' must be non-empty text");
      return null;
    }
    return value.asText();
  }
}
