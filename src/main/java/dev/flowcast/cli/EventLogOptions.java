package dev.flowcast.cli;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The CSV event log a command reads and the mapping of its columns, shared by every command that reads one. */
class EventLogOptions {

  @Option(names = "--log", required = true, description = "the CSV event log")
  Path log;

  @Option(names = "--case-column", defaultValue = "CaseID", description = "column of the case (session) id; default ${DEFAULT-VALUE}")
  String caseColumn;

  @Option(names = "--activity-column", defaultValue = "ActivityID", description = "column of the activity (action); default ${DEFAULT-VALUE}")
  String activityColumn;

  @Option(names = "--time-column", defaultValue = "CompleteTimestamp", description = "column of the time; default ${DEFAULT-VALUE}")
  String timeColumn;

  @Option(names = "--time-format", defaultValue = "yyyy-MM-dd HH:mm:ss",
      description = "java.time pattern of the time column, or 'iso' (H: hours with or without a leading zero); default ${DEFAULT-VALUE}")
  String timeFormat;

  @Option(names = "--user-column", description = "column of the user; without it the case stands for the user")
  String userColumn;

  @Option(names = "--attribute-column", description = "a numeric column to keep as an attribute (repeatable)")
  List<String> attributeColumns = new ArrayList<>();

  /**
   * The whole file, read and checked before anything is done with it.
   *
   * @throws CsvEventLogReader.InvalidLogException when a line does not fit the mapping, or the
   *     time format is not a java.time pattern ({@link LogErrors} makes it one line and exit code 2)
   */
  List<ActivityEvent> read() throws IOException {
    try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      return CsvEventLogReader.read(reader, mapping());
    }
  }

  /** The whole file, read and checked also against what the activity log keeps, to import it. */
  List<ActivityEvent> readToKeep() throws IOException {
    try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      return CsvEventLogReader.readToKeep(reader, mapping(), CsvEventLogReader.upToADayAhead());
    }
  }

  CsvMapping mapping() {
    if (!"iso".equalsIgnoreCase(timeFormat)) {
      try {
        DateTimeFormatter.ofPattern(timeFormat);
      } catch (IllegalArgumentException e) {
        throw new CsvEventLogReader.InvalidLogException(
            "--time-format '" + timeFormat + "' is not a java.time pattern (" + e.getMessage() + "), e.g. 'yyyy-MM-dd HH:mm:ss'");
      }
    }
    return new CsvMapping(caseColumn, activityColumn, timeColumn, timeFormat, userColumn, attributeColumns);
  }
}
