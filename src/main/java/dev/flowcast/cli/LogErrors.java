package dev.flowcast.cli;

import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.TimeFormat;
import java.nio.file.NoSuchFileException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * What is wrong with a user's event log, in one line for standard error (exit code 2, as for a
 * wrong option) instead of a stack trace: which line of the file, what was expected, an example
 * of it, and the option that would fix it.
 */
final class LogErrors {

  private static final Pattern BAD_TIME = Pattern.compile("time '(.*)' does not match");

  private LogErrors() {}

  /** The line to print when {@code e} is a problem with the command's event log; null otherwise. */
  static String explain(Exception e, CommandLine command) {
    EventLogOptions reader = command.getCommandSpec().mixins().values().stream()
        .map(CommandLine.Model.CommandSpec::userObject)
        .filter(EventLogOptions.class::isInstance).map(EventLogOptions.class::cast)
        .findFirst().orElse(null);
    if (reader == null) {
      return null;
    }
    if (e instanceof CsvEventLogReader.InvalidLogException invalid) {
      return reader.log + ": " + explain(invalid.getMessage(), reader)
          + (command.getCommand() instanceof ImportCommand ? "; nothing imported" : "");
    }
    if (e instanceof NoSuchFileException) {
      return reader.log + ": no such file";
    }
    String file = FlowcastCommands.fileProblem(e);
    return file == null ? null : reader.log + ": " + file;
  }

  static String explain(String message, EventLogOptions mapping) {
    Matcher time = BAD_TIME.matcher(message);
    if (time.find()) {
      String format = mapping.timeFormat;
      StringBuilder line = new StringBuilder(message.substring(0, time.start()))
          .append("time '").append(time.group(1)).append("' in column '").append(mapping.timeColumn)
          .append("' does not match --time-format ").append(TimeFormat.of(format).describe());
      String hoursWithoutZero = format.replace("HH", "H");
      if (!hoursWithoutZero.equals(format) && parses(time.group(1), hoursWithoutZero)) {
        line.append("; hours without a leading zero: --time-format '").append(hoursWithoutZero).append("'");
      }
      return line.toString();
    }
    if (message.contains("no column")) {
      return message + "; name the columns with --case-column, --activity-column, --time-column";
    }
    return message;
  }

  private static boolean parses(String text, String format) {
    try {
      LocalDateTime.parse(text, DateTimeFormatter.ofPattern(format));
      return true;
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return false;
    }
  }
}
