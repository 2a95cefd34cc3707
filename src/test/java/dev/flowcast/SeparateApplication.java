package dev.flowcast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as a test starts and closes it itself, beside the contexts the test framework
 * keeps for the whole JVM; everything but the engine's webapps (Cockpit, Tasklist, Admin), on any
 * free port. The engine's REST API and webapps keep their state in statics, one per JVM, which an
 * application that closes changes for every cached context: its engine takes its name's entry out of
 * the engine registry ({@code /engine-rest} then answers 404 there), and the webapps, as its servlet
 * container stops, empty their runtime delegates (Cockpit then answers 500). So its engine takes a
 * name of its own, and it has no webapps.
 */
public final class SeparateApplication {

  private SeparateApplication() {}

  /**
   * Starts the application with these profiles and settings (command-line arguments), without the
   * webapps, its engine named for it alone, on any free port.
   */
  public static ConfigurableApplicationContext start(List<String> profiles, String... settings) {
    List<String> args = new ArrayList<>(List.of(settings));
    args.addAll(List.of("--camunda.bpm.generate-unique-process-engine-name=true", "--camunda.bpm.webapp.enabled=false",
        "--server.port=0", "--server.address=127.0.0.1"));
    return new SpringApplicationBuilder(FlowcastApplication.class)
        .profiles(profiles.toArray(String[]::new))
        .run(args.toArray(String[]::new));
  }

  /**
   * Starts the application with the test profile, these settings and an in-memory database of its
   * own, and closes it; throws what stopped the start.
   */
  public static void startAndClose(String... settings) {
    String[] args = Arrays.copyOf(settings, settings.length + 1);
    args[settings.length] = "--spring.datasource.url=jdbc:h2:mem:separate-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    start(List.of("test"), args).close();
  }

  /** Every message of the failure that stopped {@link #startAndClose}, outermost first; empty when it started. */
  public static String startupReport(String... settings) {
    try {
      startAndClose(settings);
      return "";
    } catch (RuntimeException e) {
      StringBuilder report = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        report.append(t.getMessage()).append('\n');
      }
      return report.toString();
    }
  }
}
