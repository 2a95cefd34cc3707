package dev.flowcast.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: serves one pool's topics with a number of slots (steps at once), over the
 * engine's REST API alone. It long-polls for tasks, has Flowcast start each step run (its first
 * claim does the work, a later one gets the recorded result), waits out the run's pace while it
 * extends the task's lock, and completes it. A task that is gone meanwhile (cancelled, restarted
 * on an alternative) is counted and left. It registers and sends heartbeats, so Flowcast counts
 * it as its pool's capacity; asked to stop, it fetches no more, finishes what ends within its
 * grace, unlocks the rest for other workers, and deregisters.
 */
public final class Worker {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long SLICE_MILLIS = 200;
  /** The longest a worker waits before it asks again for a run whose work was busy. */
  private static final Duration MAX_BUSY_WAIT = Duration.ofSeconds(10);

  /** How a worker is started. */
  public record Options(String pool, int slots, URI engineRest, URI flowcastApi, String user, String password,
      String id, Duration lockDuration, Duration pollTimeout, Duration grace, Long parentPid) {}

  /** The worker could not start; the message is one line that says why. */
  public static final class StartFailure extends RuntimeException {
    public StartFailure(String message) {
      super(message);
    }
  }

  private final Options options;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final Semaphore slots;
  private final ExecutorService work;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "worker-heartbeat"));
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private volatile boolean stopping;
  private volatile ExternalTaskClient client;
  private volatile List<String> topics = List.of();

  public Worker(Options options) {
    this.options = options;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((options.user() + ":" + options.password()).getBytes(StandardCharsets.UTF_8));
    this.slots = new Semaphore(options.slots());
    this.work = Executors.newFixedThreadPool(options.slots(), r -> daemon(r, "worker-slot"));
  }

  /**
   * Checks the engine, registers, and starts fetching.
   *
   * @throws StartFailure with one line: a wrong URL, password or pool
   */
  public void start() {
    checkEngine();
    register();
    client = ExternalTaskClient.create()
        .baseUrl(options.engineRest().toString())
        .workerId(options.id())
        .maxTasks(options.slots())
        .asyncResponseTimeout(options.pollTimeout().toMillis())
        .lockDuration(options.lockDuration().toMillis())
        .addInterceptor(new BasicAuthProvider(options.user(), options.password()))
        .build();
    for (String topic : topics) {
      client.subscribe(topic).lockDuration(options.lockDuration().toMillis()).variables(Worker.NO_VARIABLES)
          .handler(this::take).open();
    }
    long beat = Math.max(500, heartbeatMillis);
    timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    if (options.parentPid() != null) {
      timers.scheduleWithFixedDelay(this::stopWithParent, 1, 1, TimeUnit.SECONDS);
    }
    log.info("FLOWCAST-353 worker {} serves pool {} with {} slots: topics {}", options.id(), options.pool(),
        options.slots(), topics);
  }

  /** Fetch no variables: the step's variables are read by Flowcast, beside the engine. */
  private static final String[] NO_VARIABLES = {"flowcastPool"};

  private volatile long heartbeatMillis = 5000;

  /** Called in the client's fetching thread: hand the task to a free slot, or back to the engine. */
  private void take(ExternalTask task, ExternalTaskService service) {
    if (stopping || !slots.tryAcquire()) {
      unlockQuietly(task, service);
      if (!stopping) {
        // fetch again only when a slot is free
        slots.acquireUninterruptibly();
        slots.release();
      }
      return;
    }
    inFlight.add(task.getId());
    // the lock runs from the fetch, a little before now
    Instant lockedUntil = Instant.now().plus(options.lockDuration());
    work.execute(() -> {
      try {
        run(task, service, lockedUntil);
      } catch (RuntimeException e) {
        log.warn("FLOWCAST-354 task {} ({}) failed in worker {}: {}", task.getId(), task.getTopicName(), options.id(),
            e.getMessage());
      } finally {
        inFlight.remove(task.getId());
        slots.release();
      }
    });
  }

  private void run(ExternalTask task, ExternalTaskService service, Instant fetchedLockUntil) {
    Instant lockedUntil = fetchedLockUntil;
    try {
      HttpResponse<String> started = call("POST", runUrl(task), null);
      // busy: the step's work takes turns on something another step holds (or the database is away
      // for a moment); wait here, where waiting holds none of the engine's connections, keeping the task locked
      while (started.statusCode() == 503 && !stopping) {
        lockedUntil = keptLocked(task, service, lockedUntil);
        Thread.sleep(retryAfter(started).toMillis());
        started = call("POST", runUrl(task), null);
      }
      if (started.statusCode() == 404) {
        cancelled.incrementAndGet();
        return;
      }
      if (started.statusCode() == 422) {
        int retries = task.getRetries() == null ? 2 : Math.max(0, task.getRetries() - 1);
        service.handleFailure(task, message(started), null, retries, 1000);
        return;
      }
      if (started.statusCode() == 503) { // asked to stop while the work waited its turn
        unlockQuietly(task, service);
        return;
      }
      if (started.statusCode() != 200) {
        log.warn("FLOWCAST-355 task {} not started ({}): {}", task.getId(), started.statusCode(), message(started));
        return;
      }
      Map<String, Object> run = read(started.body());
      @SuppressWarnings("unchecked")
      Map<String, Object> outputs = new LinkedHashMap<>((Map<String, Object>) run.getOrDefault("outputs", Map.of()));
      Instant until = Instant.parse(String.valueOf(run.get("claimedAt")))
          .plusMillis(((Number) run.getOrDefault("paceMillis", 0)).longValue());
      while (Instant.now().isBefore(until)) {
        if (stopping && Duration.between(Instant.now(), until).compareTo(options.grace()) > 0) {
          service.unlock(task);
          return;
        }
        lockedUntil = keptLocked(task, service, lockedUntil);
        Thread.sleep(Math.min(SLICE_MILLIS, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
      }
      if (Instant.now().isAfter(lockedUntil.minus(options.lockDuration().dividedBy(4)))) {
        service.extendLock(task, options.lockDuration().toMillis());
      }
      complete(task, service, outputs);
      completed.incrementAndGet();
    } catch (NotFoundException gone) {
      // cancelled, or restarted on an alternative: the engine has moved on without this run
      cancelled.incrementAndGet();
      log.debug("task {} is gone: {}", task.getId(), gone.getMessage());
    } catch (RestException refused) {
      log.warn("FLOWCAST-356 the engine refused task {} from worker {} ({}): {}", task.getId(), options.id(),
          refused.getHttpStatusCode(), refused.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unlockQuietly(task, service);
    }
  }

  private String runUrl(ExternalTask task) {
    return options.flowcastApi() + "/workers/" + options.id() + "/runs/" + task.getId();
  }

  /** The task's lock, extended when less than half of it is left. */
  private Instant keptLocked(ExternalTask task, ExternalTaskService service, Instant lockedUntil) {
    if (Duration.between(Instant.now(), lockedUntil).compareTo(options.lockDuration().dividedBy(2)) >= 0) {
      return lockedUntil;
    }
    service.extendLock(task, options.lockDuration().toMillis());
    return Instant.now().plus(options.lockDuration());
  }

  /** How long a busy answer asks the worker to wait: its {@code Retry-After} in seconds, 1 s when it has none. */
  private static Duration retryAfter(HttpResponse<String> busy) {
    long seconds = busy.headers().firstValue("Retry-After").map(value -> {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException notSeconds) {
        return 1L;
      }
    }).orElse(1L);
    return Duration.ofSeconds(Math.max(1, Math.min(seconds, MAX_BUSY_WAIT.toSeconds())));
  }

  /**
   * Completes a task; again when the engine answers that the instance moved meanwhile (a sibling
   * branch completing at the same moment: the engine's optimistic locking), as its job executor would.
   */
  private void complete(ExternalTask task, ExternalTaskService service, Map<String, Object> outputs)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        service.complete(task, outputs);
        return;
      } catch (RestException e) {
        if (attempt >= COMPLETION_ATTEMPTS || !"OptimisticLockingException".equals(e.getType())) {
          throw e;
        }
        Thread.sleep(50L * attempt);
      }
    }
  }

  private static final int COMPLETION_ATTEMPTS = 5;

  /** Stops: fetches no more, finishes or unlocks its tasks, deregisters. */
  public void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    if (client != null) {
      client.stop();
    }
    work.shutdown();
    try {
      if (!work.awaitTermination(options.grace().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
        work.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    try {
      call("DELETE", options.flowcastApi() + "/workers/" + options.id(), null);
    } catch (StartFailure unreachable) {
      log.warn("FLOWCAST-357 worker {} could not deregister: {}", options.id(), unreachable.getMessage());
    }
    log.info("FLOWCAST-358 worker {} stopped: {} steps completed, {} gone before completion", options.id(),
        completed.get(), cancelled.get());
  }

  public long completed() {
    return completed.get();
  }

  public long cancelled() {
    return cancelled.get();
  }

  private void checkEngine() {
    HttpResponse<String> answer = call("GET", options.engineRest() + "/external-task/count", null);
    switch (answer.statusCode()) {
      case 200 -> { }
      case 401 -> throw new StartFailure("the engine at " + options.engineRest() + " refused user '" + options.user()
          + "': wrong user name or password");
      case 403 -> throw new StartFailure("user '" + options.user() + "' may not work on the external tasks of "
          + options.engineRest());
      case 404 -> throw new StartFailure(options.engineRest() + " answers, but is not an engine's REST API (404 for "
          + "/external-task/count); it usually ends in /engine-rest");
      default -> throw new StartFailure("the engine at " + options.engineRest() + " answered " + answer.statusCode()
          + " to /external-task/count");
    }
  }

  private void register() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", options.id());
    body.put("pool", options.pool());
    body.put("slots", options.slots());
    body.put("host", hostName());
    HttpResponse<String> answer = call("POST", options.flowcastApi() + "/workers", body);
    if (answer.statusCode() == 401) {
      throw new StartFailure("Flowcast at " + options.flowcastApi() + " refused user '" + options.user()
          + "': wrong user name or password");
    }
    if (answer.statusCode() != 201) {
      throw new StartFailure("Flowcast at " + options.flowcastApi() + " refused the worker: " + message(answer));
    }
    Map<String, Object> registration = read(answer.body());
    @SuppressWarnings("unchecked")
    List<String> served = (List<String>) registration.get("topics");
    topics = List.copyOf(served);
    heartbeatMillis = ((Number) registration.get("heartbeatMillis")).longValue();
  }

  private void heartbeat() {
    try {
      Map<String, Object> body = Map.of("slotsInUse", options.slots() - slots.availablePermits(),
          "completed", completed.get(), "cancelled", cancelled.get());
      HttpResponse<String> answer = call("PUT", options.flowcastApi() + "/workers/" + options.id() + "/heartbeat", body);
      if (answer.statusCode() == 404 && !stopping) {
        register();
      }
    } catch (RuntimeException e) {
      log.warn("FLOWCAST-359 worker {}: heartbeat not delivered: {}", options.id(), e.getMessage());
    }
  }

  private void stopWithParent() {
    if (ProcessHandle.of(options.parentPid()).map(ProcessHandle::isAlive).orElse(false)) {
      return;
    }
    log.info("FLOWCAST-360 worker {}: the application that started it has ended; stopping", options.id());
    new Thread(() -> System.exit(0), "worker-exit").start();
  }

  private HttpResponse<String> call(String method, String url, Object body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("Authorization", authorization).header("Accept", "application/json");
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new StartFailure("nothing answers at " + URI.create(url).resolve("/") + " (connection refused)");
    } catch (IOException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof UnknownHostException || e instanceof UnknownHostException) {
        throw new StartFailure("unknown host in " + url);
      }
      throw new StartFailure("no answer from " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartFailure("interrupted while calling " + url);
    } catch (IllegalArgumentException e) {
      throw new StartFailure("not a URL: " + url);
    }
  }

  private Map<String, Object> read(String body) {
    try {
      return json.readValue(body, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new StartFailure("an answer that is not JSON: " + body.substring(0, Math.min(200, body.length())));
    }
  }

  private String message(HttpResponse<String> answer) {
    try {
      Object message = read(answer.body()).get("message");
      return message == null ? "HTTP " + answer.statusCode() : message.toString();
    } catch (StartFailure notJson) {
      return "HTTP " + answer.statusCode();
    }
  }

  private void unlockQuietly(ExternalTask task, ExternalTaskService service) {
    try {
      service.unlock(task);
    } catch (RuntimeException gone) {
      log.debug("task {} could not be unlocked: {}", task.getId(), gone.getMessage());
    }
  }

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}
