package dev.flowcast.cli;

import dev.flowcast.activity.CsvEventLogReader;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Turns what is wrong with a user's event log into one line on standard error and exit code 2
 * (as for a wrong option), instead of a stack trace: which line of the file, what was expected,
 * an example of it.
 */
final class LogErrors implements CommandLine.IExecutionExceptionHandler {

  static final int EXIT_BAD_INPUT = 2;

  private static final Pattern BAD_TIME = Pattern.compile("time '(.*)' does not match");
  private static final LocalDateTime EXAMPLE = LocalDateTime.of(2011, 11, 5, 9, 5, 1);

  @Override
  public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    EventLogOptions reader = command.getCommandSpec().mixins().values().stream()
        .map(CommandLine.Model.CommandSpec::userObject)
        .filter(EventLogOptions.class::isInstance).map(EventLogOptions.class::cast)
        .findFirst().orElse(null);
    if (reader == null) {
      throw e;
    }
    String problem;
    if (e instanceof CsvEventLogReader.InvalidLogException invalid) {
      problem = reader.log + ": " + explain(invalid.getMessage(), reader)
          + (command.getCommand() instanceof ImportCommand ? "; nothing imported" : "");
    } else if (e instanceof NoSuchFileException) {
      problem = reader.log + ": no such file";
    } else {
      throw e;
    }
    PrintWriter err = command.getErr();
    err.println(problem);
    err.flush();
    return EXIT_BAD_INPUT;
  }

  static String explain(String message, EventLogOptions mapping) {
    Matcher time = BAD_TIME.matcher(message);
    if (time.find()) {
      String format = mapping.timeFormat;
      StringBuilder line = new StringBuilder(message.substring(0, time.start()))
          .append("time '").append(time.group(1)).append("' in column '").append(mapping.timeColumn)
          .append("' does not match --time-format '").append(format).append("', e.g. '").append(example(format)).append("'");
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

  private static String example(String format) {
    if ("iso".equalsIgnoreCase(format)) {
      return "2011-11-05T09:05:01Z";
    }
    try {
      return EXAMPLE.format(DateTimeFormatter.ofPattern(format));
    } catch (RuntimeException e) {
      return format;
    }
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
