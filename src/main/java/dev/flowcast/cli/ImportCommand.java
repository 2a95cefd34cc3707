package dev.flowcast.cli;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
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

  @Mixin EventLogOptions eventLog;

  @Option(names = "--db-url", description = "JDBC URL of the database; default: the application's (spring.datasource.url)")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    // the whole file is read and checked first: a malformed row stores nothing
    List<ActivityEvent> events = eventLog.readToKeep();
    try (ConfigurableApplicationContext context = DatabaseContext.start(databaseUrl);
        Progress progress = new Progress("importing", events.size())) {
      ActivityLog activity = context.getBean(ActivityLog.class);
      for (int from = 0; from < events.size(); from += CHUNK) {
        int to = Math.min(events.size(), from + CHUNK);
        activity.append(events.subList(from, to), ActivityLog.Source.IMPORT);
        progress.asStepTo().accept(to);
      }
    }
    System.out.println("imported " + events.size() + " events from " + eventLog.log);
    return 0;
  }
}
