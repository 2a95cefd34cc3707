package dev.flowcast.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the activity log keeps of an event (the widths of table {@code flowcast_activity}): an
 * event that does not fit is refused where it comes in, with the reason, before anything of its
 * batch or file is stored.
 */
public final class ActivityLimits {

  /** User, action and case: the most characters each. */
  public static final int MAX_TEXT = 255;
  /** Attributes and tags, each written as JSON: the most characters. */
  public static final int MAX_DETAILS = 4000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ActivityLimits() {}

  /** How the reasons name the fields: as the JSON of the API calls them, or as a file's columns. */
  public record Fields(String user, String action, String caseId, String attributes, String tags) {

    public static final Fields JSON = new Fields("'user'", "'action'", "'case'", "'attributes'", "'tags'");
  }

  /** Why the event cannot be kept, one reason per field; empty when it can. */
  public static List<String> problems(ActivityEvent event, Fields fields) {
    Set<String> problems = new LinkedHashSet<>();
    text(fields.user(), event.user(), problems);
    text(fields.action(), event.action(), problems);
    text(fields.caseId(), event.caseId(), problems);
    details(fields.attributes(), event.attributes(), problems);
    details(fields.tags(), event.tags(), problems);
    return List.copyOf(problems);
  }

  private static void text(String field, String value, Set<String> problems) {
    if (value != null && value.length() > MAX_TEXT) {
      problems.add(field + " is longer than " + MAX_TEXT + " characters");
    }
  }

  private static void details(String field, Map<String, ?> values, Set<String> problems) {
    if (values.isEmpty()) {
      return;
    }
    try {
      if (JSON.writeValueAsString(values).length() > MAX_DETAILS) {
        problems.add(field + " take more than " + MAX_DETAILS + " characters as JSON");
      }
    } catch (JsonProcessingException e) {
      problems.add(field + " cannot be written as JSON");
    }
  }
}
