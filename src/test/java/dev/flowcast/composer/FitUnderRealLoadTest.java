package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.bind;
import static dev.flowcast.composer.Fixtures.component;
import static dev.flowcast.composer.Fixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.SchemaConfiguration;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import dev.flowcast.resources.ResourcesConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Real CPU load on this machine, measured by the default monitor, lowers the fit of CPU-heavy candidates. */
class FitUnderRealLoadTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  @EnableScheduling
  static class Settings {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  private final WorkflowTemplate scale = sequence("scale-service", "scale");
  private final Workflow cpuLight = bind(scale, component("scale-out-light", "scale", 0.5, "on-demand"));
  private final WeightedScorer scorer = new WeightedScorer(new FlowcastProperties.Scoring(1, 1, 1, 1, 0), DurationEstimates.declared());

  @Test
  void shouldLowerTheFitOfCpuHeavyCandidatesWhileTheMachineIsBusy() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(
            DataSourceAutoConfiguration.class, SchemaConfiguration.class, JdbcTemplateAutoConfiguration.class,
            JdbcClientAutoConfiguration.class, TaskSchedulingAutoConfiguration.class, ResourcesConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues(
            "spring.datasource.url=jdbc:h2:mem:fit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "flowcast.resources.sample-interval=PT0.5S",
            "flowcast.resources.trend-window=PT3S")
        .run(context -> {
          ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
          // A shared build machine is never idle: the heavy candidate asks for half of what the
          // quiet window measured free, so it fits there whatever else this machine is running.
          ResourceProfile quiet = quietProfile(monitor);
          double freeVcpu = quiet.pool("on-demand").orElseThrow().available().vcpu();
          Workflow cpuHeavy = bind(scale, component("scale-out-on-demand", "scale", freeVcpu / 2, "on-demand"));
          Score idle = scoreOf(cpuHeavy, quiet);

          Score busy;
          try (dev.flowcast.resources.CpuBurner burner = dev.flowcast.resources.CpuBurner.onEveryCore()) {
            Thread.sleep(4000); // a window of load
            busy = scoreOf(cpuHeavy, monitor.profile(Instant.now()));
          }

          assertThat(idle.feasible()).as("%.2f vCPU in the quiet window (%.2f free)", freeVcpu / 2, freeVcpu).isTrue();
          assertThat(busy.fit()).as("fit of %.2f vCPU while every core burns (idle: %.3f)", freeVcpu / 2, idle.fit())
              .isLessThan(idle.fit());
          assertThat(busy.feasible()).isFalse();
        });
  }

  /** The first profile, after a window of 4 s, in which at least a quarter of the on-demand pool is free. */
  private static ResourceProfile quietProfile(ResourceMonitor monitor) throws InterruptedException {
    Thread.sleep(4000);
    ResourceProfile profile = monitor.profile(Instant.now());
    for (int wait = 0; wait < 40 && free(profile) < 0.25; wait++) {
      Thread.sleep(500);
      profile = monitor.profile(Instant.now());
    }
    assertThat(free(profile)).as("share of the on-demand pool free within 24 s of quiet").isGreaterThanOrEqualTo(0.25);
    return profile;
  }

  private static double free(ResourceProfile profile) {
    PoolCapacity pool = profile.pool("on-demand").orElseThrow();
    return pool.available().vcpu() / pool.capacity().vcpu();
  }

  private Score scoreOf(Workflow workflow, ResourceProfile profile) {
    List<ScoredWorkflow> scored = scorer.score(new ArrayList<>(List.of(workflow, cpuLight)), 0.5, profile);
    return scored.stream().filter(s -> s.workflow() == workflow).findFirst().orElseThrow().score();
  }
}
