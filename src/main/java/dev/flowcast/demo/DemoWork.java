package dev.flowcast.demo;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.ProcessKeys;
import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Simulated time, the one thing the example domain fakes: each demo component's work (real
 * queries, real hashing, real rows) is followed by a wait until it has taken what its component
 * declares ({@code flowcast.expectedDuration}) times {@code flowcast.demo.time-scale}, times an
 * injected slowdown ({@link DemoFaults}). The wait ends early when the fault is lifted or the step
 * was cancelled meanwhile (restarted elsewhere), as abandoned idempotent work would.
 */
final class DemoWork implements JavaDelegate {

  private static final Duration LONGEST_WAIT = Duration.ofMinutes(30);
  private static final long SLICE_MILLIS = 250;

  private final JavaDelegate work;
  private final ComponentLibrary components;
  private final DemoFaults faults;
  private final JdbcClient jdbc;
  private final DemoProperties properties;
  private final TransactionTemplate ownTransaction;

  DemoWork(JavaDelegate work, ComponentLibrary components, DemoFaults faults, JdbcClient jdbc,
      DemoProperties properties, TransactionTemplate ownTransaction) {
    this.ownTransaction = ownTransaction;
    this.work = work;
    this.components = components;
    this.faults = faults;
    this.jdbc = jdbc;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    Instant started = Instant.now();
    String component = componentOf(execution);
    if (component != null && faults.failing(component, started)) {
      throw new IllegalStateException("injected failure: " + component + " fails (demo fault injection)");
    }
    // The real work commits on its own, before the simulated wait: held through the wait, its row
    // locks made concurrent instances of other components time out. The demo's work is idempotent,
    // so a job that fails later and runs again does no harm.
    ownTransaction.executeWithoutResult(status -> {
      try {
        work.execute(execution);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
    if (component == null) {
      return;
    }
    Duration declared = components.components().stream().filter(c -> c.name().equals(component))
        .map(TaskComponent::expectedDuration).findFirst().orElse(Duration.ZERO);
    while (true) {
      double factor = properties.timeScale() * faults.slowdownOf(component, Instant.now());
      long target = Math.min((long) (declared.toMillis() * factor), LONGEST_WAIT.toMillis());
      long left = target - Duration.between(started, Instant.now()).toMillis();
      if (left <= 0 || cancelled(execution)) {
        return;
      }
      Thread.sleep(Math.min(left, SLICE_MILLIS));
    }
  }

  /** The demo component this work belongs to, or null outside a component. */
  private static String componentOf(DelegateExecution execution) {
    // definition ids do not always start with the key (long keys get a bare id): ask the cache
    String key = execution.getProcessEngineServices().getRepositoryService()
        .getProcessDefinition(execution.getProcessDefinitionId()).getKey();
    return key.startsWith(ProcessKeys.COMPONENT_PREFIX) ? key.substring(ProcessKeys.COMPONENT_PREFIX.length()) : null;
  }

  /** Committed by another transaction (a restart on the alternative): this one will not commit. */
  private boolean cancelled(DelegateExecution execution) {
    Long rows = jdbc.sql("select count(*) from ACT_RU_EXECUTION where ID_ = ?")
        .param(execution.getProcessInstanceId()).query(Long.class).single();
    return rows == 0;
  }
}
