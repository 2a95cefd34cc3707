package dev.flowcast.cli;

import dev.flowcast.worker.WorkerProcess;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code worker}: an external-task worker for one pool, talking to the engine's REST API (of any
 * node, or the load balancer in front of them) and to Flowcast's beside it. Runs until stopped. The
 * same worker as the processes the {@code local-workers} provider starts ({@link WorkerProcess});
 * this command adds its help.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Serves one pool's task components as an external-task worker, until stopped (SIGTERM: it finishes"
        + " or unlocks its tasks, then deregisters).")
class WorkerCommand implements Callable<Integer> {

  @Option(names = "--pool", required = true, description = "the pool it serves (a pool of the price catalog)")
  String pool;

  @Option(names = "--slots", defaultValue = WorkerProcess.DEFAULT_SLOTS, description = "steps it runs at once (default: ${DEFAULT-VALUE})")
  int slots;

  @Option(names = "--engine-rest", defaultValue = WorkerProcess.DEFAULT_ENGINE_REST,
      description = "the engine's REST API (default: ${DEFAULT-VALUE})")
  String engineRest;

  @Option(names = "--flowcast-api", description = "Flowcast's REST API (default: /flowcast/api on the engine's host)")
  String flowcastApi;

  @Option(names = "--user", defaultValue = WorkerProcess.DEFAULT_USER,
      description = "a Camunda user in the administrators' group (default: ${DEFAULT-VALUE})")
  String user;

  @Option(names = "--password", defaultValue = "${env:" + WorkerProcess.PASSWORD_VARIABLE + "}",
      description = "its password (default: the environment variable " + WorkerProcess.PASSWORD_VARIABLE + ")")
  String password;

  @Option(names = "--id", description = "its id (default: <host>-<pool>-<process id>)")
  String id;

  @Option(names = "--lock", defaultValue = WorkerProcess.DEFAULT_LOCK,
      description = "how long a fetched task stays locked before its lock is extended (default: ${DEFAULT-VALUE})")
  Duration lock;

  @Option(names = "--poll-timeout", defaultValue = WorkerProcess.DEFAULT_POLL_TIMEOUT,
      description = "how long a fetch waits for a task (long polling; default: ${DEFAULT-VALUE})")
  Duration pollTimeout;

  @Option(names = "--grace", defaultValue = WorkerProcess.DEFAULT_GRACE,
      description = "asked to stop, the work it still finishes (the rest is unlocked; default: ${DEFAULT-VALUE})")
  Duration grace;

  @Option(names = "--parent-pid", hidden = true, description = "stop when this process ends (workers the application starts)")
  Long parentPid;

  @Override
  public Integer call() {
    return WorkerProcess.runUntilStopped(WorkerProcess.options(pool, slots, engineRest, flowcastApi, user, password, id,
        lock, pollTimeout, grace, parentPid));
  }
}
