package dev.flowcast.activity;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The time column of a CSV: a java.time pattern read as UTC, or {@code iso} for ISO-8601 instants. */
public final class TimeFormat {

  private final DateTimeFormatter pattern;

  private TimeFormat(DateTimeFormatter pattern) {
    this.pattern = pattern;
  }

  public static TimeFormat of(String format) {
    return new TimeFormat("iso".equalsIgnoreCase(format) ? null : DateTimeFormatter.ofPattern(format));
  }

  /** @throws DateTimeParseException when the text does not match */
  public Instant parse(String text) {
    return pattern == null ? Instant.parse(text) : LocalDateTime.parse(text, pattern).toInstant(ZoneOffset.UTC);
  }
}
