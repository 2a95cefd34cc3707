package dev.flowcast.cli;

import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How the columns of a CSV event log are read: shared by every command that reads one, {@code simulate} included. */
class EventLogColumns {

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
