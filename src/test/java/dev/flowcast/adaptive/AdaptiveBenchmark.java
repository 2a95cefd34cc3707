package dev.flowcast.adaptive;

import static dev.flowcast.BenchmarkApplication.median;

import dev.flowcast.BenchmarkApplication;
import dev.flowcast.composer.AsTheComposerStarts;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.config.ProcessVariables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain benchmark harness (not a test): what watching costs. In one process, side by side and
 * repeated: running a composed run-report to its end (its steps measured by the plugin's
 * listeners) against the same BPMN deployed under a key the plugin ignores (no step listeners);
 * and one adaptive check with many running instances. The monitor measures a steady machine, as in
 * the other benchmarks, so that a busy machine does not queue the composition. Prints medians and
 * ratios. Run with
 * bench/adaptive.sh.
 */
public final class AdaptiveBenchmark {

  public static void main(String[] args) {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int waiting = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    try (ConfigurableApplicationContext context = BenchmarkApplication.start("bench", true)) {
      Composer composer = context.getBean(Composer.class);
      RuntimeService runtime = context.getBean(RuntimeService.class);
      RepositoryService repository = context.getBean(RepositoryService.class);
      ManagementService management = context.getBean(ManagementService.class);
      AdaptiveWatcher watcher = context.getBean(AdaptiveWatcher.class);

      CompositionResult composed = composer.compose(
          new CompositionRequest("alice", "run-report", Map.of(), null, CompositionRequest.Origin.REQUEST));
      if (composed.status() != CompositionResult.Status.STARTED) {
        throw new IllegalStateException("the benchmark needs a started run-report, got " + composed.status());
      }
      runToEnd(management, composed.processInstanceId());
      String watched = composed.processDefinitionId();
      String xml = new String(repository.getProcessModel(watched).readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"flowcast-run-report\"", "\"static-run-report\"");
      String unwatched = repository.createDeployment().name("benchmark-static").addString("static-run-report.bpmn", xml)
          .deployWithResult().getDeployedProcessDefinitions().get(0).getId();
      Map<String, Object> variables = Map.of(ProcessVariables.USER, "alice", ProcessVariables.INTENT, "run-report");
      System.out.printf("%d instances of run-report per measurement, %d repetitions, %d cores%n",
          instances, repetitions, Runtime.getRuntime().availableProcessors());
      for (int warm = 0; warm < 2; warm++) {
        run(runtime, management, watched, variables, instances);
        run(runtime, management, unwatched, variables, instances);
      }
      double[] measured = new double[repetitions];
      double[] plain = new double[repetitions];
      for (int r = 0; r < repetitions; r++) {
        measured[r] = run(runtime, management, watched, variables, instances);
        plain[r] = run(runtime, management, unwatched, variables, instances);
      }
      double measuredMedian = median(measured);
      double plainMedian = median(plain);
      System.out.printf("run to end, steps measured (flowcast-run-report): median %7.2f ms per instance%n", measuredMedian);
      System.out.printf("run to end, not watched (static-run-report):       median %7.2f ms per instance%n", plainMedian);
      System.out.printf("measured ÷ not watched: %.2f%n", measuredMedian / plainMedian);

      List<String> running = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        running.add(runtime.startProcessInstanceById(watched, variables).getId());
      }
      double[] checks = new double[repetitions];
      for (int r = 0; r < repetitions + 2; r++) {
        long started = System.nanoTime();
        watcher.check();
        if (r >= 2) {
          checks[r - 2] = (System.nanoTime() - started) / 1e6;
        }
      }
      double checkMedian = median(checks);
      System.out.printf("one adaptive check with %d running instances: median %.1f ms (%.2f ms per instance)%n",
          running.size(), checkMedian, checkMedian / running.size());
      running.forEach(id -> runtime.deleteProcessInstance(id, "benchmark"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Milliseconds per instance to start and run {@code count} instances to their end. */
  private static double run(RuntimeService runtime, ManagementService management, String definitionId,
      Map<String, Object> variables, int count) {
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      // started as the composer starts its workflows: what a start costs is the engine-cost benchmark's
      // business, and a start that bypassed the composer would be accounted for as one (a reservation, a decision)
      String id = AsTheComposerStarts.run(() -> runtime.startProcessInstanceById(definitionId, variables).getId());
      runToEnd(management, id);
    }
    return (System.nanoTime() - started) / 1e6 / count;
  }

  /** Executes every job of the instance and of the components it calls until none is left. */
  private static void runToEnd(ManagementService management, String processInstanceId) {
    for (int guard = 0; guard < 100; guard++) {
      List<Job> due = management.createJobQuery().rootProcessInstanceId(processInstanceId).executable().list();
      if (due.isEmpty()) {
        return;
      }
      due.forEach(job -> management.executeJob(job.getId()));
    }
  }
}
