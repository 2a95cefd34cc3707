package dev.flowcast.activity;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV event log with a column mapping, in file order. A row that does not fit is refused
 * with its line number and reason; nothing of a refused file is kept.
 */
public final class CsvEventLogReader {

  private CsvEventLogReader() {}

  /** A log that could not be read, with the line where it went wrong. */
  public static final class InvalidLogException extends RuntimeException {
    public InvalidLogException(String message) {
      super(message);
    }
  }

  /** Reads a log whose events may be dated up to a day after now. */
  public static List<ActivityEvent> read(Reader reader, CsvMapping mapping) throws IOException {
    return read(reader, mapping, upToADayAhead());
  }

  /** Events may be dated up to a day after now: clocks drift, time zones differ. */
  public static EventTimes upToADayAhead() {
    return new EventTimes(Instant.now().plus(java.time.Duration.ofDays(1)));
  }

  /** Reads a log to evaluate or replay: nothing of it is stored. */
  public static List<ActivityEvent> read(Reader reader, CsvMapping mapping, EventTimes times) throws IOException {
    return read(reader, mapping, times, false);
  }

  /**
   * Reads a log to import: every event must also fit what the activity log keeps
   * ({@link ActivityLimits}), and the log must hold one at least.
   */
  public static List<ActivityEvent> readToKeep(Reader reader, CsvMapping mapping, EventTimes times) throws IOException {
    List<ActivityEvent> events = read(reader, mapping, times, true);
    if (events.isEmpty()) {
      throw new InvalidLogException("line 2: no event in the log, only its header");
    }
    return events;
  }

  private static List<ActivityEvent> read(Reader reader, CsvMapping mapping, EventTimes times, boolean kept)
      throws IOException {
    TimeFormat format = TimeFormat.of(mapping.timeFormat());
    List<ActivityEvent> events = new ArrayList<>();
    try (CSVParser parser = CsvFiles.withHeader(reader)) {
      for (String column : required(mapping)) {
        if (!parser.getHeaderMap().containsKey(column)) {
          throw new InvalidLogException("line 1: no column '" + column + "'; the header has " + parser.getHeaderNames());
        }
      }
      ActivityLimits.Fields fields = fields(mapping);
      for (CSVRecord record : parser) {
        long line = parser.getCurrentLineNumber();
        String caseId = value(record, mapping.caseColumn(), line);
        String action = value(record, mapping.activityColumn(), line);
        Instant time = time(value(record, mapping.timeColumn(), line), format, line);
        String outside = times.problemWith(time);
        if (outside != null) {
          throw new InvalidLogException("line " + line + ": time '" + record.get(mapping.timeColumn()) + "' " + outside);
        }
        String user = mapping.userColumn() == null ? caseId : value(record, mapping.userColumn(), line);
        Map<String, Double> attributes = new HashMap<>();
        for (String column : mapping.attributeColumns()) {
          String text = record.get(column);
          if (text != null && !text.isBlank()) {
            double number;
            try {
              number = Double.parseDouble(text);
            } catch (NumberFormatException e) {
              number = Double.NaN;
            }
            if (!Double.isFinite(number)) {
              throw new InvalidLogException("line " + line + ": column '" + column + "' is not a finite number: '" + text + "'");
            }
            attributes.put(column, number);
          }
        }
        ActivityEvent event = new ActivityEvent(time, user, action, caseId, attributes, Map.of());
        if (kept) {
          List<String> problems = ActivityLimits.problems(event, fields);
          if (!problems.isEmpty()) {
            throw new InvalidLogException("line " + line + ": " + String.join("; ", problems));
          }
        }
        events.add(event);
      }
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      throw new InvalidLogException("malformed CSV: " + withoutClassNames(e));
    }
    return events;
  }

  private static ActivityLimits.Fields fields(CsvMapping mapping) {
    String user = mapping.userColumn() == null ? mapping.caseColumn() : mapping.userColumn();
    return new ActivityLimits.Fields("column '" + user + "'", "column '" + mapping.activityColumn() + "'",
        "column '" + mapping.caseColumn() + "'", "the attribute columns " + mapping.attributeColumns(), "tags");
  }

  private static List<String> required(CsvMapping mapping) {
    List<String> columns = new ArrayList<>(List.of(mapping.caseColumn(), mapping.activityColumn(), mapping.timeColumn()));
    if (mapping.userColumn() != null) {
      columns.add(mapping.userColumn());
    }
    columns.addAll(mapping.attributeColumns());
    return columns;
  }

  private static String value(CSVRecord record, String column, long line) {
    String value = record.isSet(column) ? record.get(column) : null;
    if (value == null || value.isBlank()) {
      throw new InvalidLogException("line " + line + ": column '" + column + "' is empty");
    }
    return value;
  }

  private static Instant time(String text, TimeFormat format, long line) {
    try {
      return format.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidLogException("line " + line + ": time '" + text + "' does not match the time format "
          + format.describe());
    }
  }

  /** Commons CSV wraps its reason in exception class names; the reader of the message needs the reason. */
  private static String withoutClassNames(RuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "unreadable" : root.getMessage();
    return message.replaceAll("([a-z]+\\.)+[A-Z][A-Za-z]*(Exception|Error): ", "");
  }
}
