package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
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

  /** Executes the instance's due jobs (and those they create) until it has none left. */
  public void runJobs(String processInstanceId) {
    ManagementService management = engine.getManagementService();
    for (int executed = 0; executed < MAX_JOBS; ) {
      List<Job> due = management.createJobQuery().processInstanceId(processInstanceId).executable().list();
      if (due.isEmpty()) {
        return;
      }
      for (Job job : due) {
        management.executeJob(job.getId());
        executed++;
      }
    }
    throw new AssertionError("instance " + processInstanceId + " still has jobs after " + MAX_JOBS);
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

  public void setPool(PricedPool pool) {
    catalog.override(pool);
  }

  public void resetPools() {
    catalog.reload();
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
