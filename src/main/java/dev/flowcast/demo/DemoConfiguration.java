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

/**
 * The example domain (profile {@code demo}): demo data and the delegates the demo task components
 * call by bean name ({@code ${demoNotify}} ...), the work of those that run on workers, and the
 * simulated time of both. A user's own application leaves the profile off.
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

  /**
   * How long the demo components' work takes beyond its real part: the workers wait it out, the
   * engine's components in a timer ({@code ${demoPace.restOf(execution)}}).
   */
  @Bean
  DemoPace demoPace(@Lazy ComponentLibrary components, DemoFaults faults, DemoProperties properties, Clock clock) {
    return new DemoPace(components, faults, properties, clock);
  }

  /**
   * The work of the components that run on workers (external tasks, topic {@code demo-<work>@<pool>}):
   * done here, where the demo data is, once per step run; the worker waits out the rest.
   */
  @Bean
  DemoSteps demoSteps(JdbcClient jdbc, DemoPace pace, DemoFaults faults, Clock clock) {
    return new DemoSteps(Map.of(
            "demo-compute", new RenderReportDelegate(jdbc),
            "demo-query", new QueryDelegate(jdbc),
            "demo-snapshot", new SnapshotDelegate(jdbc),
            "demo-restore", new RestoreDelegate(jdbc),
            "demo-replicate", new ReplicateDelegate(jdbc)),
        pace, faults, clock);
  }

  /** The delegates of the components that run in the engine, by the names their files give. */
  @Bean
  JavaDelegate demoCapacity(JdbcClient jdbc, DemoFaults faults, Clock clock) {
    return new DemoWork(new CapacityDelegate(jdbc), faults, clock);
  }

  @Bean
  JavaDelegate demoNotify(JdbcClient jdbc, DemoFaults faults, Clock clock) {
    return new DemoWork(new NotifyDelegate(jdbc), faults, clock);
  }

  @Bean
  JavaDelegate demoCacheWarm(JdbcClient jdbc, DemoFaults faults, Clock clock) {
    return new DemoWork(new CacheWarmDelegate(jdbc), faults, clock);
  }
}
