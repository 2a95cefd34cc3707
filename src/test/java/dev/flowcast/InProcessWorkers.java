package dev.flowcast;

import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.worker.StepWork;
import dev.flowcast.worker.WorkerRefusal;
import dev.flowcast.worker.WorkerRegistry;
import dev.flowcast.worker.WorkerService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * For engine tests that drive instances themselves (the job executor off): what a worker of each
 * pool does with a component's external task (fetch and lock it, have Flowcast start the run,
 * complete it), done in the test's thread, through the engine's Java API. The worker tests run
 * real worker processes instead.
 */
@TestConfiguration(proxyBeanMethods = false)
public class InProcessWorkers {

  private static final Map<ProcessEngine, Serving> SERVING = new ConcurrentHashMap<>();

  /** Serves the external tasks of one engine. */
  public record Serving(ProcessEngine engine, WorkerService workers, WorkerRegistry registry, PriceCatalog catalog) {

    /** Runs the instance's unlocked external tasks once each; returns how many were run. */
    public int runExternalTasks(List<String> processInstanceIds) {
      ExternalTaskService external = engine.getExternalTaskService();
      int ran = 0;
      for (String instance : processInstanceIds) {
        for (ExternalTask task : external.createExternalTaskQuery().processInstanceId(instance).active()
            .withRetriesLeft().list()) {
          // not locked, as the engine sees it: no lock, or one that has run out (a failure reported
          // with no retry delay runs out at once, also on a clock a test holds still)
          if (task.getLockExpirationTime() != null && task.getLockExpirationTime().after(ClockUtil.getCurrentTime())) {
            continue;
          }
          String pool = task.getTopicName().substring(task.getTopicName().indexOf('@') + 1);
          String workerId = "in-process-" + pool;
          if (registry.find(workerId) == null) {
            workers.register(workerId, pool, 1, "test");
          }
          external.lock(task.getId(), workerId, 60_000);
          try {
            WorkerService.RunStart run = startWhenItsTurnComes(workerId, task.getId());
            external.complete(task.getId(), workerId, run.outputs());
            workers.completed(task.getId(), workerId);
          } catch (StepWork.StepFailedException failed) {
            int retries = task.getRetries() == null ? 2 : Math.max(0, task.getRetries() - 1);
            external.handleFailure(task.getId(), workerId, failed.getMessage(), retries, 0);
          } catch (WorkerRefusal gone) {
            // cancelled meanwhile: as a worker would, leave it
          }
          ran++;
        }
      }
      return ran;
    }

    /** As a worker does: a run whose work waits for another step's is asked for again after the wait. */
    private WorkerService.RunStart startWhenItsTurnComes(String workerId, String taskId) {
      while (true) {
        try {
          return workers.start(workerId, taskId);
        } catch (StepWork.StepBusyException busy) {
          try {
            Thread.sleep(busy.retryAfter().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy;
          }
        }
      }
    }
  }

  public static Serving of(ProcessEngine engine) {
    Serving serving = SERVING.get(engine);
    if (serving == null) {
      throw new IllegalStateException("no in-process workers for this engine: import InProcessWorkers");
    }
    return serving;
  }

  @Bean
  Serving inProcessWorkers(ProcessEngine engine, WorkerService workers, WorkerRegistry registry, PriceCatalog catalog) {
    Serving serving = new Serving(engine, workers, registry, catalog);
    SERVING.put(engine, serving);
    return serving;
  }
}
