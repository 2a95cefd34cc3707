package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.demand.DemandEvaluation;
import dev.flowcast.demand.DemandSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The evaluation protocols on data made here, where the right answer is known. */
class EvaluationTest {

  private final Instant t0 = Instant.parse("2026-01-05T08:00:00Z");

  /** Sessions where what follows "b" depends on the action before it: a Markov chain of order 1 cannot know. */
  private List<ActivityEvent> secondOrderLog(int sessions) {
    Random random = new Random(1);
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      Instant t = t0.plus(Duration.ofMinutes(30L * s));
      String first = random.nextBoolean() ? "x" : "y";
      List<String> actions = List.of(first, "b", first.equals("x") ? "c" : "d");
      for (String action : actions) {
        events.add(new ActivityEvent(t, "case-" + s, action, "case-" + s, Map.of(), Map.of()));
        t = t.plusSeconds(60);
      }
    }
    return events;
  }

  @Test
  void shouldSplitSessionsInFileOrderAndScoreEveryPrefixFromLengthTwo() {
    IntentEvaluation.Report report = IntentEvaluation.run(secondOrderLog(300), round -> {});

    assertThat(report.cases()).isEqualTo(300);
    assertThat(report.events()).isEqualTo(900);
    assertThat(report.predictions()).as("100 test sessions × prefixes of length 2 and 3").isEqualTo(200);
    assertThat(report.baselines()).containsOnlyKeys("frequency", "userFrequency", "markov1", "markov2",
        "markov1Online", "markov2Online");
  }

  @Test
  void shouldScoreTheFigureComparableWithPublishedOnesOnlyWhereTheCaseGoesOn() {
    IntentEvaluation.Report report = IntentEvaluation.run(secondOrderLog(300), round -> {});

    assertThat(report.predictionsWithoutEnds()).as("the prefixes of length 2; after length 3 the case ends").isEqualTo(100);
    IntentEvaluation.Scores markov1 = report.baselines().get("markov1");
    assertThat(markov1.top1WithoutEnds()).as("c or d after b: a coin toss for a first-order chain").isCloseTo(0.5, within(0.15));
    assertThat(markov1.top1()).as("the 100 ends after c or d are certain, and counted in top-1 only")
        .isCloseTo((markov1.top1WithoutEnds() * 100 + 100) / 200, within(1e-9));
    assertThat(report.model().top1WithoutEnds()).isGreaterThan(0.99);
  }

  @Test
  void shouldLearnWhatTheFirstOrderChainCannot() {
    IntentEvaluation.Report report = IntentEvaluation.run(secondOrderLog(300), round -> {});

    assertThat(report.model().top1()).isGreaterThan(0.99);
    assertThat(report.baselines().get("markov2").top1()).isGreaterThan(0.99);
    assertThat(report.baselines().get("markov1").top1()).isLessThan(0.8);
    assertThat(report.model().logLoss()).isLessThan(report.baselines().get("markov1").logLoss());
  }

  @Test
  void shouldBeatLastValueOnADailyPatternAndCoverItsUpperQuantile() {
    Random random = new Random(3);
    List<DemandSeries.Point> points = new ArrayList<>();
    for (int i = 0; i < 288 * 12; i++) {
      double daily = 50 + 30 * Math.sin(2 * Math.PI * i / 288.0);
      points.add(new DemandSeries.Point(t0.plus(Duration.ofMinutes(5L * i)), daily + random.nextGaussian() * 5));
    }
    DemandSeries series = DemandSeries.resample(points, Duration.ofMinutes(5));

    DemandEvaluation.Report report = DemandEvaluation.run(series, round -> {});

    for (String horizon : List.of("5m", "10m", "15m")) {
      DemandEvaluation.Scores model = report.horizons().get(horizon).get("model");
      assertThat(model.relMae()).as(horizon).isLessThan(0.85);
      assertThat(model.relMae()).isLessThan(report.horizons().get(horizon).get("trailingMean").relMae());
      assertThat(model.upperCoverage()).isCloseTo(0.9, within(0.05));
    }
  }

  @Test
  void shouldResampleToTheGridAndInterpolateGaps() {
    List<DemandSeries.Point> points = List.of(
        new DemandSeries.Point(t0, 1), new DemandSeries.Point(t0.plusSeconds(60), 3),
        new DemandSeries.Point(t0.plusSeconds(900), 9));

    DemandSeries series = DemandSeries.resample(points, Duration.ofMinutes(5));

    assertThat(series.values()).containsExactly(2, 4.333333333333333, 6.666666666666666, 9);
  }
}
