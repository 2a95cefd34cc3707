package dev.flowcast;

import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceSample;
import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * For tests about composition, not measurement: a machine that is always 10% busy, so what the
 * composer chooses does not depend on what else the test machine is doing. The monitor's own
 * tests measure this machine for real.
 */
@TestConfiguration(proxyBeanMethods = false)
public class IdleMachine {

  public static final double CORES = 8;

  @Bean
  MetricsSource idleMachineMetrics(Clock clock) {
    return new MetricsSource() {
      @Override
      public ResourceSample sample() {
        return new ResourceSample(clock.instant(), CORES, CORES * 0.1, 32_768, 3_276.8, 1000, 1e5, 1e5,
            3000, 1e5, 1e5, 30, 30);
      }

      @Override
      public String name() {
        return "idle-machine";
      }
    };
  }
}
