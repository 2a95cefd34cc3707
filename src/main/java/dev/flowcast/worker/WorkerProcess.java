package dev.flowcast.worker;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.camunda.bpm.client.ExternalTaskClient;
import org.slf4j.LoggerFactory;

/**
 * A worker process: the main that the {@code local-workers} provider runs
 * ({@code java -cp <class path> dev.flowcast.worker.WorkerProcess --pool spot ...}), and what
 * Flowcast's own {@code worker} command runs after reading its options. It starts nothing of the
 * application it is launched from (no Spring, no engine): a {@link Worker} that reaches the engine
 * and Flowcast over their REST APIs, until SIGTERM. The work of the application's own components is
 * done by the application ({@link StepWork} beans) when the worker starts a step run, so a worker
 * needs only Flowcast's starter and its dependencies on its class path.
 */
public final class WorkerProcess {

  public static final String DEFAULT_SLOTS = "4";
  public static final String DEFAULT_ENGINE_REST = "http://localhost:8080/engine-rest";
  public static final String DEFAULT_USER = "demo";
  public static final String DEFAULT_LOCK = "PT30S";
  public static final String DEFAULT_POLL_TIMEOUT = "PT20S";
  public static final String DEFAULT_GRACE = "PT10S";
  /** Where a worker's password comes from when it is not an argument (kept out of process listings). */
  public static final String PASSWORD_VARIABLE = "FLOWCAST_WORKER_PASSWORD";
  /** The argument that only checks that a worker can start here: its classes load, and it ends. */
  public static final String CHECK = "--check";
  /** What {@link #CHECK} prints when the worker's classes are there. */
  static final String CHECKED = "flowcast worker: ready to start";
  /** Exit code of a worker refused for its arguments, its engine or its pool. */
  public static final int BAD_INPUT = 2;

  private static final List<String> OPTIONS = List.of("--pool", "--slots", "--engine-rest", "--flowcast-api",
      "--user", "--password", "--id", "--lock", "--poll-timeout", "--grace", "--parent-pid");

  private WorkerProcess() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 1 && CHECK.equals(args[0])) {
      // the client is the one library a worker needs beside the JDK and Jackson: fail here, not at its first task
      System.out.println(CHECKED + " (" + ExternalTaskClient.class.getSimpleName() + ")");
      return 0;
    }
    Worker.Options options;
    try {
      Map<String, String> given = arguments(args);
      options = options(required(given, "--pool"), whole(given.getOrDefault("--slots", DEFAULT_SLOTS), "--slots"),
          given.getOrDefault("--engine-rest", DEFAULT_ENGINE_REST), given.get("--flowcast-api"),
          given.getOrDefault("--user", DEFAULT_USER), given.getOrDefault("--password", System.getenv(PASSWORD_VARIABLE)),
          given.get("--id"), duration(given.getOrDefault("--lock", DEFAULT_LOCK), "--lock"),
          duration(given.getOrDefault("--poll-timeout", DEFAULT_POLL_TIMEOUT), "--poll-timeout"),
          duration(given.getOrDefault("--grace", DEFAULT_GRACE), "--grace"),
          given.containsKey("--parent-pid") ? (long) whole(given.get("--parent-pid"), "--parent-pid") : null);
    } catch (IllegalArgumentException e) {
      System.err.println("worker: " + e.getMessage());
      return BAD_INPUT;
    }
    return runUntilStopped(options);
  }

  /**
   * A worker's options, checked: each problem is one line naming the option.
   *
   * @param flowcastApi Flowcast's REST API; null: {@code /flowcast/api} on the engine's host
   * @param id the worker's id; null: {@code <host>-<pool>-<process id>}
   * @param parentPid stop when this process ends; null: run until stopped
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public static Worker.Options options(String pool, int slots, String engineRest, String flowcastApi, String user,
      String password, String id, Duration lock, Duration pollTimeout, Duration grace, Long parentPid) {
    if (slots < 1 || slots > 256) {
      throw new IllegalArgumentException("--slots must be between 1 and 256, not " + slots);
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("no password: give --password or set " + PASSWORD_VARIABLE);
    }
    URI engine = uri(engineRest.replaceAll("/+$", ""), "--engine-rest");
    URI api = flowcastApi == null ? engine.resolve("/flowcast/api") : uri(flowcastApi.replaceAll("/+$", ""), "--flowcast-api");
    String name = id != null ? id : Worker.hostName() + "-" + pool + "-" + ProcessHandle.current().pid();
    return new Worker.Options(pool, slots, engine, api, user, password, name, lock, pollTimeout, grace, parentPid);
  }

  /**
   * Starts the worker and serves until the process is asked to stop (SIGTERM: it finishes or unlocks
   * its tasks, then deregisters); a worker that cannot start prints one line and returns {@link #BAD_INPUT}.
   */
  public static int runUntilStopped(Worker.Options options) {
    WorkerLogs.quiet();
    Worker worker = new Worker(options);
    try {
      worker.start();
    } catch (Worker.StartFailure e) {
      System.err.println("worker: " + e.getMessage());
      return BAD_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.stop();
      stopped.countDown();
    }, "worker-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** {@code --name value} or {@code --name=value}, each at most once, of the options above. */
  private static Map<String, String> arguments(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int equals = name.indexOf('=');
      if (name.startsWith("--") && equals > 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option '" + name + "' (options: " + String.join(", ", OPTIONS) + ")");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      if (given.put(name, value) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return given;
  }

  private static String required(Map<String, String> given, String option) {
    String value = given.get(option);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }

  private static int whole(String text, String option) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, not '" + text + "'");
    }
  }

  private static Duration duration(String text, String option) {
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be an ISO-8601 duration such as PT30S, not '" + text + "'");
    }
  }

  private static URI uri(String text, String option) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() != null && uri.getHost() != null && uri.getScheme().startsWith("http")) {
        return uri;
      }
    } catch (IllegalArgumentException notAUri) {
      // said below, in the option's words
    }
    throw new IllegalArgumentException(option + " must be an http(s) URL, not " + text);
  }

  /** The worker's own lines and warnings, not every library's debug output (when Logback logs). */
  private static final class WorkerLogs {

    static void quiet() {
      if (isPresent("ch.qos.logback.classic.LoggerContext")) {
        Logback.quiet();
      }
    }

    private static boolean isPresent(String className) {
      try {
        Class.forName(className, false, WorkerProcess.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError absent) {
        return false;
      }
    }

    /** Loaded only where Logback is: an application may log through another binding. */
    private static final class Logback {
      static void quiet() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
          logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
          logs.getLogger("dev.flowcast").setLevel(ch.qos.logback.classic.Level.INFO);
        }
      }
    }
  }
}
