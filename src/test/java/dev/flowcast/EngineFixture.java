package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * What engine tests do again and again: compose as a user, run an instance's jobs the way the job
 * executor would, and put the capacity pools back as configured.
 */
public final class EngineFixture {

  private static final int MAX_JOBS = 200;

  private final ProcessEngine engine;
  private final Composer composer;
  private final PriceCatalog catalog;

  public EngineFixture(ProcessEngine engine, Composer composer, PriceCatalog catalog) {
    this.engine = engine;
    this.composer = composer;
    this.catalog = catalog;
  }

  public CompositionResult compose(String user, String intent) {
    return compose(user, intent, Map.of());
  }

  public CompositionResult compose(String user, String intent, Map<String, Object> parameters) {
    return composer.compose(
        new CompositionRequest(user, intent, parameters, null, CompositionRequest.Origin.REQUEST));
  }

  public ProcessInstance instance(String processInstanceId) {
    return runtime().createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
  }

  /**
   * Executes the instance's due jobs, and its called components' (their work runs in jobs of their
   * own), and those they create, until none is left.
   */
  public void runJobs(String processInstanceId) {
    ManagementService management = engine.getManagementService();
    for (int executed = 0; executed < MAX_JOBS; ) {
      List<Job> due = dueJobs(processInstanceId);
      if (due.isEmpty()) {
        // the work of components on workers: done as a worker of the step's pool would
        int ran = InProcessWorkers.of(engine).runExternalTasks(instanceTree(processInstanceId));
        if (ran == 0) {
          return;
        }
        executed += ran;
        continue;
      }
      for (Job job : due) {
        management.executeJob(job.getId());
        executed++;
      }
    }
    throw new AssertionError("instance " + processInstanceId + " still has jobs after " + MAX_JOBS);
  }

  /**
   * What the workers of the steps' pools do, once: each external task of the instance (and its
   * components) that is not locked is fetched, its run started and completed (or its failure
   * reported, as a worker would). Returns how many were run.
   */
  public int runExternalTasks(String processInstanceId) {
    return InProcessWorkers.of(engine).runExternalTasks(instanceTree(processInstanceId));
  }

  /** An instance and the component instances it has called, the caller first. */
  public List<String> instanceTree(String processInstanceId) {
    List<String> tree = new ArrayList<>(List.of(processInstanceId));
    for (ProcessInstance called : runtime().createProcessInstanceQuery().superProcessInstanceId(processInstanceId).list()) {
      tree.addAll(instanceTree(called.getId()));
    }
    return tree;
  }

  /** The due jobs of an instance and of the component instances it has called, the caller's first. */
  public List<Job> dueJobs(String processInstanceId) {
    ManagementService management = engine.getManagementService();
    List<Job> due = new ArrayList<>(management.createJobQuery().processInstanceId(processInstanceId).executable().list());
    for (ProcessInstance called : runtime().createProcessInstanceQuery().superProcessInstanceId(processInstanceId).list()) {
      due.addAll(dueJobs(called.getId()));
    }
    return due;
  }

  /**
   * Starts the step the instance waits at: its call activity begins and its component instance
   * waits at its work, so the step is running (until {@link #runJobs}).
   */
  public void startStep(String processInstanceId, String stepId) {
    ManagementService management = engine.getManagementService();
    Job job = management.createJobQuery().processInstanceId(processInstanceId).activityId(stepId).singleResult();
    assertThat(job).as("the job before %s of %s", stepId, processInstanceId).isNotNull();
    management.executeJob(job.getId());
  }

  /** Runs the instance up to the given step and starts it: the steps before it complete. */
  public void runUntilRunning(String processInstanceId, String stepId) {
    ManagementService management = engine.getManagementService();
    for (int executed = 0; executed < MAX_JOBS; executed++) {
      if (management.createJobQuery().processInstanceId(processInstanceId).activityId(stepId).count() > 0) {
        startStep(processInstanceId, stepId);
        return;
      }
      List<Job> due = dueJobs(processInstanceId);
      if (due.isEmpty() && InProcessWorkers.of(engine).runExternalTasks(instanceTree(processInstanceId)) > 0) {
        continue;
      }
      assertThat(due).as("jobs of %s before %s", processInstanceId, stepId).isNotEmpty();
      management.executeJob(due.get(0).getId());
    }
    throw new AssertionError("instance " + processInstanceId + " never reached " + stepId);
  }

  /** Makes the instance's timers due now and runs its jobs once. */
  public void fireTimers(String processInstanceId) {
    ManagementService management = engine.getManagementService();
    List<Job> timers = management.createJobQuery().processInstanceId(processInstanceId).timers().list();
    assertThat(timers).as("timers of %s", processInstanceId).isNotEmpty();
    for (Job timer : timers) {
      management.executeJob(timer.getId());
    }
  }

  /** Sets every pool of the catalog to the same capacity, keeping prices and rates. */
  public void setAllPoolCapacities(double vcpu, double memoryMb) {
    catalog.pools().values().forEach(pool -> catalog.override(new PricedPool(pool.name(),
        new ResourceDemand(vcpu, memoryMb, pool.capacity().networkMbps(), pool.capacity().diskIops()),
        pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour())));
  }

  /** Makes every pool of the catalog very large in every resource, keeping prices and rates: room for any request. */
  public void makeAllPoolsVeryLarge() {
    catalog.pools().values().forEach(pool -> catalog.override(new PricedPool(pool.name(),
        new ResourceDemand(100_000, 1e9, 1e9, 1e9), pool.pricePerVcpuHour(), pool.pricePerGbHour(),
        pool.interruptionRatePerHour())));
  }

  public void setPool(PricedPool pool) {
    catalog.override(pool);
  }

  public void resetPools() {
    catalog.reload();
  }

  /** A test on the engine's clock begins here: the clock set to {@code now}, no instance running. */
  public void beginOnTheEnginesClock(Instant now) {
    ClockUtil.setCurrentTime(Date.from(now));
    cancelRunningInstances();
  }

  /** And ends here: no instance left running, the catalog's pools again, the real clock again. */
  public void endOnTheEnginesClock() {
    cancelRunningInstances();
    resetPools();
    ClockUtil.reset();
  }

  /** Cancels every instance still running, so one test's reservations do not shrink the next's capacity. */
  public void cancelRunningInstances() {
    runtime().createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(instance -> runtime().deleteProcessInstance(instance.getId(), "test cleanup"));
  }

  private RuntimeService runtime() {
    return engine.getRuntimeService();
  }
}
