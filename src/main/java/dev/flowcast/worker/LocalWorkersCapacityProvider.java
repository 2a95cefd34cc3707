package dev.flowcast.worker;

import dev.flowcast.capacity.CapacityProvider;
import dev.flowcast.capacity.CapacityRequestException;
import dev.flowcast.capacity.PoolSize;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ResourceDemand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capacity provider {@code local-workers}: a pool's units are worker processes on this machine,
 * each a child of the application ({@link WorkerProcess} {@code --pool ...}, started by
 * {@link WorkerLaunch}), stopped with it. A unit is ready when
 * its worker has registered and sends heartbeats; until then it is arriving, expected after the
 * start-up time measured so far (the provider's real lead time). Capacity is the live workers of
 * the pool (theirs or anyone's) times their slots times what a slot stands for
 * ({@code flowcast.workers.slot.*}), so a unit is a worker of {@code flowcast.workers.local.slots}
 * slots, and the catalog's unit must be what it holds; what its workers report busy is the slots in
 * use (the monitor holds the larger of that and the reservations: decision 0024).
 */
public class LocalWorkersCapacityProvider implements CapacityProvider {

  public static final String NAME = "local-workers";
  private static final Logger log = LoggerFactory.getLogger(LocalWorkersCapacityProvider.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /** A worker process this provider started. */
  private record LocalWorker(String id, String pool, Process process, Instant startedAt) {}

  private final WorkerRegistry registry;
  private final PriceCatalog catalog;
  private final WorkerProperties settings;
  private final Clock clock;
  private final WorkerLaunch launch;
  private final Map<String, LocalWorker> started = new ConcurrentHashMap<>();
  /** Workers asked to stop: no longer capacity, though they are registered until they have finished. */
  private final Map<String, LocalWorker> stopping = new ConcurrentHashMap<>();
  private final Map<String, Duration> measuredStartups = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile String engineRest;

  public LocalWorkersCapacityProvider(WorkerRegistry registry, PriceCatalog catalog, WorkerProperties settings, Clock clock) {
    this.registry = registry;
    this.catalog = catalog;
    this.settings = settings;
    this.clock = clock;
    this.launch = new WorkerLaunch(settings.local());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Where the workers reach the engine: known once the web server listens. */
  void engineRest(String url) {
    this.engineRest = url;
  }

  @Override
  public PoolSize size(String pool, Instant now) {
    List<WorkerRegistry.Worker> live = liveIn(pool);
    Set<String> liveIds = live.stream().map(WorkerRegistry.Worker::id).collect(Collectors.toSet());
    measureStartups();
    List<PoolSize.Arrival> arriving = new ArrayList<>();
    int starting = 0;
    for (LocalWorker worker : workersOf(pool)) {
      if (!liveIds.contains(worker.id()) && worker.process().isAlive() && !measuredStartups.containsKey(worker.id())) {
        starting++;
        Instant expected = worker.startedAt().plus(startupTime());
        arriving.add(new PoolSize.Arrival(1, expected.isBefore(now) ? now : expected));
      }
    }
    int ready = unitsOf(live.stream().mapToInt(WorkerRegistry.Worker::slots).sum());
    ResourceDemand inUse = slots(live.stream().mapToInt(WorkerRegistry.Worker::slotsInUse).sum());
    return new PoolSize(pool, ready + starting, ready, arriving, inUse);
  }

  /**
   * The pool's live workers, less those this provider asked to stop: they finish their work and
   * deregister, but counted meanwhile they would be taken for someone else's and make the next
   * target stop a worker that should stay.
   */
  private List<WorkerRegistry.Worker> liveIn(String pool) {
    List<WorkerRegistry.Worker> live = registry.live();
    Set<String> liveIds = live.stream().map(WorkerRegistry.Worker::id).collect(Collectors.toSet());
    stopping.values().removeIf(w -> !w.process().isAlive() && !liveIds.contains(w.id()));
    return live.stream().filter(w -> w.pool().equals(pool) && !stopping.containsKey(w.id())).toList();
  }

  /**
   * Whole units in {@code slots} live slots: a unit is a worker of {@code flowcast.workers.local.slots}
   * slots (what the catalog's unit holds, checked at start-up); a worker registered with fewer slots
   * is part of a unit, one with more is several.
   */
  private int unitsOf(int slots) {
    return slots / settings.local().slots();
  }

  /** The slots in use in a pool, as its live workers' heartbeats said. */
  public int slotsInUse(String pool) {
    return registry.pool(pool).slotsInUse();
  }

  /** What the pool's live workers offer: live workers × slots × a slot's size. */
  public ResourceDemand capacity(String pool) {
    return slots(registry.pool(pool).slots());
  }

  /** What the pool's workers hold: the slots in use × a slot's size. */
  public ResourceDemand held(String pool) {
    return slots(slotsInUse(pool));
  }

  private ResourceDemand slots(int slots) {
    return new ResourceDemand(slots * settings.slot().vcpu(), slots * settings.slot().memoryMb(), 0, 0);
  }

  /** What one local worker holds: its slots × a slot's size (an elastic pool's unit must be this). */
  ResourceDemand workerSize() {
    return slots(settings.local().slots());
  }

  /**
   * The elastic pools whose catalog unit is not what one local worker holds, each as the catalog
   * field and both figures: with this provider a unit is a worker, so the monitor would offer
   * capacity no worker has, or leave slots unused.
   */
  List<String> unitMismatches() {
    return catalog.pools().values().stream().filter(p -> p.elasticity() != null)
        .sorted(Comparator.comparing(dev.flowcast.resources.PricedPool::name))
        .flatMap(pool -> unitMismatch(pool.name(), pool.elasticity().unit())
            .map(reason -> "pools." + pool.name() + ".elasticity.unit " + reason).stream())
        .toList();
  }

  @Override
  public Optional<String> unitMismatch(String pool, ResourceDemand unit) {
    ResourceDemand worker = workerSize();
    if (same(unit.vcpu(), worker.vcpu()) && same(unit.memoryMb(), worker.memoryMb())) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "is %s vCPU, %s MB, but a local worker holds %d slots"
            + " (flowcast.workers.local.slots) × %s vCPU, %s MB (flowcast.workers.slot.vcpu, .memory-mb) = %s vCPU, %s MB",
        figure(unit.vcpu()), figure(unit.memoryMb()), settings.local().slots(), figure(settings.slot().vcpu()),
        figure(settings.slot().memoryMb()), figure(worker.vcpu()), figure(worker.memoryMb())));
  }

  private static boolean same(double a, double b) {
    return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));
  }

  private static String figure(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  @Override
  public Optional<Duration> measuredLeadTime(String pool) {
    return Optional.of(startupTime());
  }

  /** The mean start-up time measured, from the start of a process to its registration. */
  public Duration startupTime() {
    return measuredStartups.isEmpty() ? settings.local().expectedStartup()
        : Duration.ofMillis((long) measuredStartups.values().stream().mapToLong(Duration::toMillis).average().orElse(0));
  }

  @Override
  public void requestTarget(String pool, int units, Instant now) {
    checkCanStart(pool);
    int othersLive = unitsOf(liveIn(pool).stream()
        .filter(w -> !started.containsKey(w.id())).mapToInt(WorkerRegistry.Worker::slots).sum());
    List<LocalWorker> mine = workersOf(pool).stream().filter(w -> w.process().isAlive()).toList();
    int wanted = Math.max(0, units - othersLive) - mine.size();
    for (int i = 0; i < wanted; i++) {
      start(pool, now);
    }
    mine.stream().sorted(Comparator.comparing(LocalWorker::startedAt).reversed()).limit(Math.max(0, -wanted))
        .forEach(this::stop);
  }

  /** Why a worker process cannot start on this machine and class path, if it cannot (a trial process). */
  Optional<String> launchProblem() {
    return launch.problem();
  }

  /** The class path the worker processes get. */
  String workerClassPath() {
    return launch.classPath();
  }

  /**
   * Starts workers of this application's own until it runs {@code units} in the pool, whatever other
   * nodes run: each node of a cluster brings its own, and a node's workers end with it, so a node
   * that counted another's would be left with none when that one is gone.
   */
  void runOwn(String pool, int units, Instant now) {
    checkCanStart(pool);
    long mine = workersOf(pool).stream().filter(w -> w.process().isAlive()).count();
    for (long i = mine; i < units; i++) {
      start(pool, now);
    }
  }

  private void checkCanStart(String pool) {
    if (!catalog.pools().containsKey(pool)) {
      throw new CapacityRequestException("pool '" + pool + "' is not a pool of the price catalog");
    }
    if (engineRest == null) {
      throw new CapacityRequestException("local workers start once the web server listens; it does not yet");
    }
  }

  private void start(String pool, Instant now) {
    String id = "local-" + pool + "-" + ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
    List<String> command = launch.command(List.of("--pool", pool, "--slots", String.valueOf(settings.local().slots()),
        "--engine-rest", engineRest, "--user", settings.local().user(), "--id", id,
        "--lock", settings.local().lock().toString(),
        "--parent-pid", String.valueOf(ProcessHandle.current().pid())));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(WorkerProcess.PASSWORD_VARIABLE, settings.local().password());
    try {
      Path output = outputOf(id);
      Files.createDirectories(output.getParent());
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
      Process process = builder.start();
      started.put(id, new LocalWorker(id, pool, process, now));
      log.info("FLOWCAST-350 worker {} started for pool {} (process {}, output in {})", id, pool, process.pid(),
          output);
    } catch (IOException e) {
      throw new CapacityRequestException("a worker process could not be started: " + e.getMessage(), e);
    }
  }

  /** Where a worker process's output goes. */
  private static Path outputOf(String workerId) {
    return Path.of(System.getProperty("java.io.tmpdir"), "flowcast-workers", workerId + ".log");
  }

  /** Asks a worker to stop (it finishes or unlocks its tasks), and makes sure it does. */
  private void stop(LocalWorker worker) {
    stopping.put(worker.id(), worker);
    started.remove(worker.id());
    worker.process().destroy();
    log.info("FLOWCAST-351 worker {} of pool {} asked to stop", worker.id(), worker.pool());
  }

  /** Stops every worker this provider started, waiting for each to finish. */
  void stopAll() {
    List<LocalWorker> all = List.copyOf(started.values());
    all.forEach(this::stop);
    for (LocalWorker worker : all) {
      try {
        if (!worker.process().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          worker.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.process().destroyForcibly();
      }
    }
  }

  /** The worker processes started for a pool and not stopped, less those that ended on their own. */
  List<LocalWorker> workersOf(String pool) {
    forgetEnded();
    return started.values().stream().filter(w -> w.pool().equals(pool)).toList();
  }

  /**
   * Forgets the workers whose process ended without being asked to (killed, or crashed): kept, they
   * would be listed as the pool's workers, and the next scale-in would stop a live one in their place.
   * Until the registry finds them stale they count as stopping, not as another node's.
   */
  private void forgetEnded() {
    started.values().removeIf(worker -> {
      if (worker.process().isAlive()) {
        return false;
      }
      stopping.put(worker.id(), worker);
      log.warn("FLOWCAST-362 worker {} of pool {} ended on its own (exit code {}); see its output in {}", worker.id(),
          worker.pool(), worker.process().exitValue(),
          outputOf(worker.id()));
      return true;
    });
  }

  /** The process of a worker this provider started (for an operator, or a test that kills it). */
  public ProcessHandle processOf(String workerId) {
    LocalWorker worker = started.get(workerId);
    return worker == null ? null : worker.process().toHandle();
  }

  /** The ids of the workers started for a pool and not stopped. */
  public List<String> workerIds(String pool) {
    return workersOf(pool).stream().sorted(Comparator.comparing(LocalWorker::startedAt)).map(LocalWorker::id).toList();
  }

  private void measureStartups() {
    for (LocalWorker worker : started.values()) {
      if (!measuredStartups.containsKey(worker.id())) {
        WorkerRegistry.Worker registered = registry.find(worker.id());
        if (registered != null && !registered.registeredAt().isBefore(worker.startedAt())) {
          measuredStartups.put(worker.id(), Duration.between(worker.startedAt(), registered.registeredAt()));
        }
      }
    }
  }
}
