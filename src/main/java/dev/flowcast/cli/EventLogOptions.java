package dev.flowcast.cli;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The CSV event log a command reads and the mapping of its columns, shared by every command that reads one. */
class EventLogOptions extends EventLogColumns {

  @Option(names = "--log", required = true, description = "the CSV event log")
  Path log;

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
}
