package dev.flowcast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.flowcast.worker.Worker;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code worker}: an external-task worker for one pool, talking to the engine's REST API (of any
 * node, or the load balancer in front of them) and to Flowcast's beside it. Runs until stopped.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Serves one pool's task components as an external-task worker, until stopped (SIGTERM: it finishes"
        + " or unlocks its tasks, then deregisters).")
class WorkerCommand implements Callable<Integer> {

  @Option(names = "--pool", required = true, description = "the pool it serves (a pool of the price catalog)")
  String pool;

  @Option(names = "--slots", defaultValue = "4", description = "steps it runs at once (default: ${DEFAULT-VALUE})")
  int slots;

  @Option(names = "--engine-rest", defaultValue = "http://localhost:8080/engine-rest",
      description = "the engine's REST API (default: ${DEFAULT-VALUE})")
  String engineRest;

  @Option(names = "--flowcast-api", description = "Flowcast's REST API (default: /flowcast/api on the engine's host)")
  String flowcastApi;

  @Option(names = "--user", defaultValue = "demo", description = "a Camunda user in the administrators' group (default: ${DEFAULT-VALUE})")
  String user;

  @Option(names = "--password", defaultValue = "${env:FLOWCAST_WORKER_PASSWORD}",
      description = "its password (default: the environment variable FLOWCAST_WORKER_PASSWORD)")
  String password;

  @Option(names = "--id", description = "its id (default: <host>-<pool>-<process id>)")
  String id;

  @Option(names = "--lock", defaultValue = "PT30S", description = "how long a fetched task stays locked before its lock is extended (default: ${DEFAULT-VALUE})")
  Duration lock;

  @Option(names = "--poll-timeout", defaultValue = "PT20S", description = "how long a fetch waits for a task (long polling; default: ${DEFAULT-VALUE})")
  Duration pollTimeout;

  @Option(names = "--grace", defaultValue = "PT10S", description = "asked to stop, the work it still finishes (the rest is unlocked; default: ${DEFAULT-VALUE})")
  Duration grace;

  @Option(names = "--parent-pid", hidden = true, description = "stop when this process ends (workers the application starts)")
  Long parentPid;

  @Override
  public Integer call() throws InterruptedException {
    quietLogs();
    if (slots < 1 || slots > 256) {
      throw new IllegalArgumentException("--slots must be between 1 and 256, not " + slots);
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("no password: give --password or set FLOWCAST_WORKER_PASSWORD");
    }
    URI engine = uri(engineRest.replaceAll("/+$", ""), "--engine-rest");
    URI api = flowcastApi == null ? engine.resolve("/flowcast/api") : uri(flowcastApi.replaceAll("/+$", ""), "--flowcast-api");
    String name = id != null ? id : hostName() + "-" + pool + "-" + ProcessHandle.current().pid();
    Worker worker = new Worker(new Worker.Options(pool, slots, engine, api, user, password, name, lock, pollTimeout,
        grace, parentPid));
    try {
      worker.start();
    } catch (Worker.StartFailure e) {
      System.err.println("worker: " + e.getMessage());
      return FlowcastCommands.BAD_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.stop();
      stopped.countDown();
    }, "worker-stop"));
    stopped.await();
    return 0;
  }

  private static URI uri(String text, String option) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().startsWith("http")) {
        throw new IllegalArgumentException(option + " must be an http(s) URL, not " + text);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be an http(s) URL, not " + text);
    }
  }

  /** The worker's own lines, and warnings; not every library's debug output. */
  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
      logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      logs.getLogger("dev.flowcast").setLevel(Level.INFO);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "worker";
    }
  }
}
