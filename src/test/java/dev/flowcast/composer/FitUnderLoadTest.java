package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.bind;
import static dev.flowcast.composer.Fixtures.component;
import static dev.flowcast.composer.Fixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.SchemaConfiguration;
import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import dev.flowcast.resources.ResourceSample;
import dev.flowcast.resources.ResourceSampling;
import dev.flowcast.resources.ResourcesConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * CPU load measured by the default monitor lowers the fit of CPU-heavy candidates, and takes away
 * what no longer fits. The monitor and its sampler are the application's; the machine is one whose
 * load the test sets, one sample a second on the samples' own clock, so the outcome does not
 * depend on what else the test machine runs (OshiMetricsSourceTest measures real load).
 */
class FitUnderLoadTest {

  static final double CORES = 8;
  static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
  static final Duration TREND_WINDOW = Duration.ofSeconds(3);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  static class Settings {
    static final AtomicReference<Double> busyCores = new AtomicReference<>(0.0);
    static final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-05T10:00:00Z"));

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    MetricsSource setLoad() {
      return new MetricsSource() {
        @Override
        public ResourceSample sample() {
          return new ResourceSample(now.updateAndGet(at -> at.plus(SAMPLE_INTERVAL)), CORES, busyCores.get(),
              32_768, 3_276.8, 1000, 1e5, 1e5, 3000, 1e5, 1e5, 30, 30);
        }

        @Override
        public String name() {
          return "set-load";
        }
      };
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
            JdbcClientAutoConfiguration.class, ResourcesConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues(
            "spring.datasource.url=jdbc:h2:mem:fit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "flowcast.resources.trend-window=" + TREND_WINDOW)
        .run(context -> {
          ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
          ResourceSampling sampler = context.getBean(ResourceSampling.class);
          // given a window of a machine 10% busy, and a candidate asking for half of what it leaves free
          ResourceProfile quiet = windowAt(0.1 * CORES, sampler, monitor);
          double freeVcpu = quiet.pool("on-demand").orElseThrow().available().vcpu();
          Workflow cpuHeavy = bind(scale, component("scale-out-on-demand", "scale", freeVcpu / 2, "on-demand"));
          Score idle = scoreOf(cpuHeavy, quiet);

          // when every core is busy for a whole window
          Score busy = scoreOf(cpuHeavy, windowAt(CORES, sampler, monitor));

          // then the candidate fits less, and no longer at all
          assertThat(idle.feasible()).as("%.2f vCPU in the quiet window (%.2f free)", freeVcpu / 2, freeVcpu).isTrue();
          assertThat(busy.fit()).as("fit of %.2f vCPU while every core is busy (idle: %.3f)", freeVcpu / 2, idle.fit())
              .isLessThan(idle.fit());
          assertThat(busy.feasible()).isFalse();
        });
  }

  /** The profile after a whole trend window of samples at this load. */
  private static ResourceProfile windowAt(double busyCores, ResourceSampling sampler, ResourceMonitor monitor) {
    Settings.busyCores.set(busyCores);
    for (long s = 0; s <= TREND_WINDOW.dividedBy(SAMPLE_INTERVAL) + 1; s++) {
      sampler.sampleNow();
    }
    return monitor.profile(Settings.now.get());
  }

  private Score scoreOf(Workflow workflow, ResourceProfile profile) {
    List<ScoredWorkflow> scored = scorer.score(new ArrayList<>(List.of(workflow, cpuLight)), 0.5, profile);
    return scored.stream().filter(s -> s.workflow() == workflow).findFirst().orElseThrow().score();
  }
}
