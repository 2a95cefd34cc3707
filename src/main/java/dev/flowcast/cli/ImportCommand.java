package dev.flowcast.cli;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.activity.CsvEventLogReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import --log FILE}: a historical CSV event log into the activity log. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Imports a CSV event log into the activity log of the application's database.")
class ImportCommand implements Callable<Integer> {

  private static final int CHUNK = 5_000;

  @Option(names = "--log", required = true, description = "the CSV event log")
  Path log;

  @Mixin MappingOptions mapping;

  @Option(names = "--db-url", description = "JDBC URL of the database; default: the application's (spring.datasource.url)")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    List<ActivityEvent> events;
    try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      // the whole file is read and checked first: a malformed row stores nothing
      events = CsvEventLogReader.read(reader, mapping.mapping());
    } catch (CsvEventLogReader.InvalidLogException e) {
      System.err.println(log + ": " + e.getMessage() + "; nothing imported");
      return FlowcastCommands.BAD_INPUT;
    }
    try (ConfigurableApplicationContext context = DatabaseContext.start(databaseUrl);
        Progress progress = new Progress("importing", events.size())) {
      ActivityLog activity = context.getBean(ActivityLog.class);
      for (int from = 0; from < events.size(); from += CHUNK) {
        int to = Math.min(events.size(), from + CHUNK);
        activity.append(events.subList(from, to), ActivityLog.Source.IMPORT);
        progress.asStepTo().accept(to);
      }
    }
    System.out.println("imported " + events.size() + " events from " + log);
    return 0;
  }
}
