package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendDemandForecasterTest {

  private final TrendDemandForecaster forecaster = new TrendDemandForecaster(1.645);
  private final Instant start = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void shouldExtendARisingLineToTheHorizon() {
    List<ResourceSample> rising = series(i -> 1.0 + 0.01 * i); // +0.01 vCPU every 5 s, for 95 s

    Projection in1 = forecaster.projectUse(ResourceKind.CPU, rising, Duration.ofMinutes(1));
    Projection in5 = forecaster.projectUse(ResourceKind.CPU, rising, Duration.ofMinutes(5));

    assertThat(in1.expected()).isCloseTo(1.0 + 0.01 * 19 + 0.01 * 12, within(1e-6));
    assertThat(in5.expected()).as("no further ahead than the 95 s seen").isCloseTo(1.0 + 0.01 * 38, within(1e-6));
    assertThat(in5.upper()).as("a perfect line has no residuals").isCloseTo(in5.expected(), within(1e-6));
  }

  @Test
  void shouldWidenTheUpperBoundWithNoiseAndKeepItWithinCapacity() {
    List<ResourceSample> noisy = series(i -> i % 2 == 0 ? 1.0 : 3.0); // residuals of about ±1

    Projection projection = forecaster.projectUse(ResourceKind.CPU, noisy, Duration.ofSeconds(5));

    assertThat(projection.expected()).isCloseTo(2.0, within(0.3));
    assertThat(projection.upper()).isCloseTo(projection.expected() + 1.645, within(0.15));
    Projection capped = forecaster.projectUse(ResourceKind.CPU, series(i -> 3.8 + 0.01 * i), Duration.ofMinutes(15));
    assertThat(capped.upper()).isEqualTo(4.0);
  }

  private List<ResourceSample> series(java.util.function.IntToDoubleFunction cpuUsed) {
    List<ResourceSample> samples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      samples.add(new ResourceSample(start.plusSeconds(5L * i), 4, cpuUsed.applyAsDouble(i), 1000, 500, 1000, 0, 0,
          3000, 0, 0, 0, 0));
    }
    return samples;
  }
}
