package dev.flowcast.activity;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The time column of a CSV: a java.time pattern read as UTC, or {@code iso} for ISO-8601 instants. */
public final class TimeFormat {

  private static final LocalDateTime EXAMPLE = LocalDateTime.of(2026, 11, 24, 9, 5, 0);

  private final DateTimeFormatter pattern;
  private final String text;

  private TimeFormat(DateTimeFormatter pattern, String text) {
    this.pattern = pattern;
    this.text = text;
  }

  /** @throws IllegalArgumentException when the pattern is not a java.time pattern */
  public static TimeFormat of(String format) {
    if ("iso".equalsIgnoreCase(format)) {
      return new TimeFormat(null, "iso");
    }
    try {
      return new TimeFormat(DateTimeFormatter.ofPattern(format), format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("time format '" + format + "' is not a java.time pattern such as"
          + " 'yyyy-MM-dd HH:mm:ss' (or 'iso'): " + e.getMessage());
    }
  }

  /** The format and an example of a time in it, for a message. */
  public String describe() {
    try {
      String example = pattern == null ? "2026-11-24T09:05:00Z" : pattern.format(EXAMPLE);
      return "'" + text + "' (for example " + example + ")";
    } catch (java.time.DateTimeException e) {
      return "'" + text + "'"; // a pattern with a zone: no example from a local time
    }
  }

  /** @throws DateTimeParseException when the text does not match */
  public Instant parse(String text) {
    return pattern == null ? Instant.parse(text) : LocalDateTime.parse(text, pattern).toInstant(ZoneOffset.UTC);
  }
}
