package dev.flowcast.worker;

import static dev.flowcast.BenchmarkApplication.median;
import static dev.flowcast.BenchmarkApplication.percentile;

import dev.flowcast.FlowcastApplication;
import dev.flowcast.IdleMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain benchmark harness (not a test): what a step costs as an external task served by a worker
 * process, against the same step as a job of the engine's job executor, side by side in one
 * application (job executor on, the demo's pacing off, no work in either step). Measures one step
 * at a time (latency from the start of the instance to its end) and a burst of instances (steps
 * per second): the job executor with its default threads, a worker with one slot, a worker with
 * four. Run with bench/external-steps.sh.
 */
public final class ExternalStepBenchmark {

  private static final String JOB_STEP = """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="bench">
        <bpmn:process id="bench-job-step" isExecutable="true" camunda:historyTimeToLive="1">
          <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
          <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:expression="${true}"/>
          <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/><bpmn:endEvent id="end"/>
        </bpmn:process>
      </bpmn:definitions>
      """;

  public static void main(String[] args) throws Exception {
    int latencyRuns = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path components = componentsWithANoOpExternalStep();
    SpringApplication application = new SpringApplication(FlowcastApplication.class, IdleMachine.class);
    try (ConfigurableApplicationContext context = application.run(
        "--spring.profiles.active=demo", "--server.port=0", "--server.address=127.0.0.1",
        "--spring.datasource.url=jdbc:h2:mem:external-steps;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=256",
        "--flowcast.components.location=file:" + components + "/", "--flowcast.demo.time-scale=0",
        "--flowcast.demo.seed-orders=300", "--flowcast.proactive.enabled=false", "--flowcast.adaptive.enabled=false",
        "--flowcast.workers.local.per-pool=0", "--flowcast.capacity.provider=fixed", "--logging.level.root=WARN")) {
      RuntimeService runtime = context.getBean(RuntimeService.class);
      HistoryService history = context.getBean(HistoryService.class);
      context.getBean(RepositoryService.class).createDeployment().addString("bench-job-step.bpmn", JOB_STEP).deploy();
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      LocalWorkersCapacityProvider provider = context.getBean(LocalWorkersCapacityProvider.class);
      WorkerRegistry registry = context.getBean(WorkerRegistry.class);
      provider.engineRest("http://localhost:" + port + "/engine-rest");
      System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());

      Map<String, Object> external = Map.of("flowcastPool", "spot");
      for (int slots : new int[] {1, 4}) {
        Process worker = startWorker(port, slots);
        waitFor(() -> registry.pool("spot").liveWorkers() == 1, "the worker's registration");
        // warm both paths up
        latencies(runtime, history, "bench-job-step", Map.of(), 50);
        latencies(runtime, history, "component-bench-noop", external, 50);
        List<Double> jobRatios = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
          double[] job = latencies(runtime, history, "bench-job-step", Map.of(), latencyRuns);
          double[] ext = latencies(runtime, history, "component-bench-noop", external, latencyRuns);
          double jobPerSecond = throughput(runtime, history, "bench-job-step", Map.of(), burst);
          double extPerSecond = throughput(runtime, history, "component-bench-noop", external, burst);
          jobRatios.add(median(ext) / median(job));
          System.out.printf(Locale.ROOT,
              "worker slots %d, round %d: one step at a time: job p50 %.1f ms p95 %.1f | external p50 %.1f ms p95 %.1f"
                  + " | ratio p50 %.2f; burst of %d: job executor %.0f steps/s | worker %.0f steps/s | ratio %.2f%n",
              slots, r + 1, median(job), percentile(job, 95), median(ext), percentile(ext, 95), median(ext) / median(job),
              burst, jobPerSecond, extPerSecond, extPerSecond / jobPerSecond);
        }
        worker.destroy();
        worker.waitFor();
        waitFor(() -> registry.pool("spot").liveWorkers() == 0, "the worker's deregistration");
      }
      System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
    }
    System.exit(0);
  }

  private static double[] latencies(RuntimeService runtime, HistoryService history, String key, Map<String, Object> variables,
      int runs) throws InterruptedException {
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long started = System.nanoTime();
      String id = runtime.startProcessInstanceByKey(key, variables).getId();
      while (runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0) {
        Thread.sleep(1);
      }
      millis[i] = (System.nanoTime() - started) / 1e6;
    }
    return millis;
  }

  private static double throughput(RuntimeService runtime, HistoryService history, String key, Map<String, Object> variables,
      int instances) throws InterruptedException {
    long started = System.nanoTime();
    for (int i = 0; i < instances; i++) {
      runtime.startProcessInstanceByKey(key, variables);
    }
    while (runtime.createProcessInstanceQuery().processDefinitionKey(key).count() > 0) {
      Thread.sleep(5);
    }
    return instances / ((System.nanoTime() - started) / 1e9);
  }

  private static Process startWorker(int port, int slots) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
        "-cp", System.getProperty("java.class.path"), "dev.flowcast.FlowcastApplication", "worker", "--pool", "spot",
        "--slots", String.valueOf(slots), "--engine-rest", "http://localhost:" + port + "/engine-rest", "--user", "demo",
        "--password", "demo", "--id", "bench-" + slots, "--poll-timeout", "PT20S")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The shipped components, and one whose external task does nothing (no outputs, no pacing). */
  private static Path componentsWithANoOpExternalStep() throws IOException {
    Path folder = Files.createTempDirectory("bench-components");
    try (Stream<Path> shipped = Files.list(Path.of("task-components"))) {
      for (Path file : shipped.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    String noOp = Files.readString(Path.of("task-components/query-primary.bpmn"))
        .replace("component-query-primary", "component-bench-noop")
        .replace("value=\"query\"", "value=\"bench\"")
        .replace("demo-query@", "bench-noop@")
        .replace("value=\"reportRows,reportTotal,reportSource\"", "value=\"\"");
    Files.writeString(folder.resolve("bench-noop.bpmn"), noOp);
    return folder;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    Instant until = Instant.now().plusSeconds(120);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("not within 2 minutes: " + what);
      }
      Thread.sleep(50);
    }
  }
}
