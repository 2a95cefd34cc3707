package dev.flowcast.demand;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The replay of a series through the application's forecasters, on a series whose shape is known. */
class ProjectionEvaluationTest {

  @Test
  void shouldProjectADailyCycleBetterThanTheTrendWithAnUpperBoundNearItsNominalCoverage() {
    // given two weeks of 5-minute use on a daily cycle with noise
    Random noise = new Random(11);
    double[] values = new double[14 * 288];
    for (int i = 0; i < values.length; i++) {
      values[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 288.0) + noise.nextGaussian() * 3;
    }
    DemandSeries series = new DemandSeries(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofMinutes(5), values);

    ProjectionEvaluation.Report report = ProjectionEvaluation.run(series, 3, round -> {});

    assertThat(report.horizons()).containsOnlyKeys("5m", "10m", "15m");
    report.horizons().forEach((horizon, scores) -> {
      assertThat(scores.get("series").mae()).as(horizon).isLessThan(0.8 * scores.get("trend").mae());
      assertThat(scores.get("series").upperCoverage()).as(horizon).isBetween(0.85, 0.95);
    });
  }
}
