package dev.flowcast.demo;

import dev.flowcast.composer.ComponentLibrary;
import java.time.Clock;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The example domain (profile {@code demo}): demo data and the delegates the demo task components
 * call by bean name ({@code ${demoNotify}} ...) and the work of those that run on workers. A user's own application leaves the profile off.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

  @Bean
  @DependsOnDatabaseInitialization
  DemoData demoData(IdentityService identity, AuthorizationService authorizations, JdbcClient jdbc,
      JdbcTemplate batch, DemoProperties properties) {
    return new DemoData(identity, authorizations, jdbc, batch, properties);
  }

  @Bean
  DemoFaults demoFaults() {
    return new DemoFaults();
  }

  /** The delegates the demo components name; each one's work is paced by {@link DemoWork}. */
  /**
   * The work of the components that run on workers (external tasks, topic {@code demo-<work>@<pool>}):
   * done here, where the demo data is, once per step run; the worker waits out the rest.
   */
  @Bean
  DemoSteps demoSteps(Pacing pacing, Clock clock) {
    JdbcClient jdbc = pacing.jdbc();
    return new DemoSteps(Map.of(
            "demo-compute", new RenderReportDelegate(jdbc),
            "demo-query", new QueryDelegate(jdbc),
            "demo-snapshot", new SnapshotDelegate(jdbc),
            "demo-restore", new RestoreDelegate(jdbc),
            "demo-replicate", new ReplicateDelegate(jdbc)),
        pacing.components(), pacing.faults(), pacing.properties(), clock);
  }

  @Bean
  JavaDelegate demoCapacity(Pacing pacing) {
    return pacing.of(new CapacityDelegate(pacing.jdbc()));
  }

  @Bean
  JavaDelegate demoNotify(Pacing pacing) {
    return pacing.of(new NotifyDelegate(pacing.jdbc()));
  }

  @Bean
  JavaDelegate demoCacheWarm(Pacing pacing) {
    return pacing.of(new CacheWarmDelegate(pacing.jdbc()));
  }

  @Bean
  Pacing demoPacing(@Lazy ComponentLibrary components, DemoFaults faults, JdbcClient jdbc, DemoProperties properties,
      PlatformTransactionManager transactions) {
    TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
    ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    return new Pacing(components, faults, jdbc, properties, ownTransaction);
  }

  /** What every paced delegate shares. */
  record Pacing(ComponentLibrary components, DemoFaults faults, JdbcClient jdbc, DemoProperties properties,
      TransactionTemplate ownTransaction) {
    JavaDelegate of(JavaDelegate work) {
      return new DemoWork(work, components, faults, jdbc, properties, ownTransaction);
    }
  }
}
