package dev.flowcast.demo;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The example domain (profile {@code demo}): demo data and the delegates the demo task components
 * call by bean name ({@code ${demoQuery}} ...). A user's own application leaves the profile off.
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
  CapacityDelegate demoCapacity(JdbcClient jdbc, DemoProperties properties) {
    return new CapacityDelegate(jdbc, properties);
  }

  @Bean
  QueryDelegate demoQuery(JdbcClient jdbc) {
    return new QueryDelegate(jdbc);
  }

  @Bean
  RenderReportDelegate demoRenderReport(JdbcClient jdbc) {
    return new RenderReportDelegate(jdbc);
  }

  @Bean
  NotifyDelegate demoNotify(JdbcClient jdbc) {
    return new NotifyDelegate(jdbc);
  }

  @Bean
  SnapshotDelegate demoSnapshot(JdbcClient jdbc) {
    return new SnapshotDelegate(jdbc);
  }

  @Bean
  RestoreDelegate demoRestore(JdbcClient jdbc) {
    return new RestoreDelegate(jdbc);
  }

  @Bean
  ReplicateDelegate demoReplicate(JdbcClient jdbc) {
    return new ReplicateDelegate(jdbc);
  }

  @Bean
  CacheWarmDelegate demoCacheWarm(JdbcClient jdbc) {
    return new CacheWarmDelegate(jdbc);
  }
}
