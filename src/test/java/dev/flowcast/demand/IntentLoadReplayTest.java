package dev.flowcast.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The replay where requests cause part of the load, on a small made-up log and series. */
class IntentLoadReplayTest {

  @Test
  void shouldAddTheRequestsLoadScoreBothProjectionsAndCountActionsOfNoKnownIntent() {
    Random random = new Random(3);
    double[] background = new double[6 * 288];
    for (int i = 0; i < background.length; i++) {
      background[i] = 10 + 3 * Math.sin(2 * Math.PI * i / 288.0) + random.nextGaussian();
    }
    DemandSeries series = new DemandSeries(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofMinutes(5), background);
    List<ActivityEvent> events = new ArrayList<>();
    Instant start = Instant.parse("2012-01-01T00:00:00Z");
    for (int c = 0; c < 600; c++) {
      Instant at = start.plus(Duration.ofHours(c));
      for (String action : List.of("1", "8", "6", "2")) {
        events.add(new ActivityEvent(at, "case" + c, action, "case" + c, Map.of(), Map.of()));
        at = at.plusSeconds(600 + random.nextInt(1200));
      }
    }

    IntentLoadReplay.Report report = IntentLoadReplay.run(series, events, 3, round -> {});

    assertThat(report.requests()).isEqualTo(1800);
    assertThat(report.unknownActions()).isEqualTo(600);
    // the replay scales the requests' load to half the background's on average: a third of the total
    assertThat(report.requestShareOfUse()).isCloseTo(0.5 / (1 + 0.5), within(1e-9));
    assertThat(report.horizons()).containsOnlyKeys("5m", "10m", "15m");
    report.horizons().values().forEach(scores -> {
      assertThat(scores).containsOnlyKeys("trend", "series", "seriesAndIntents");
      assertThat(scores.values()).allMatch(score -> score.mae() > 0 && Double.isFinite(score.mae()));
      assertThat(scores.get("series").upperCoverage()).isBetween(0.5, 1.0);
    });
  }

  @Test
  void shouldProjectTheLoadMoreAccuratelyWithTheIntentsPartWhenCasesActAfterGapsOfSecondsOrOfMinutes() {
    Random random = new Random(5);
    double[] background = new double[6 * 288];
    for (int i = 0; i < background.length; i++) {
      background[i] = 10 + random.nextGaussian();
    }
    DemandSeries series = new DemandSeries(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofMinutes(5), background);
    // as in the help-desk log, a case's gaps are seconds or long: 10 s, then 40 min (11.5 min once compressed), then 20 s
    List<ActivityEvent> events = new ArrayList<>();
    Instant start = Instant.parse("2012-01-01T00:00:00Z");
    for (int c = 0; c < 2000; c++) {
      Instant at = start.plusSeconds(random.nextInt(1_800_000));
      for (String action : List.of("1", "8", "6", "9")) {
        events.add(new ActivityEvent(at, "case" + c, action, "case" + c, Map.of(), Map.of()));
        at = at.plusSeconds(Map.of("1", 10, "8", 2400, "6", 20, "9", 0).get(action));
      }
    }

    IntentLoadReplay.Report report = IntentLoadReplay.run(series, events, 3, round -> {});

    for (String horizon : List.of("5m", "10m")) {
      Map<String, ProjectionEvaluation.Scores> scores = report.horizons().get(horizon);
      assertThat(scores.get("seriesAndIntents").mae()).as(horizon).isLessThan(0.98 * scores.get("series").mae());
      assertThat(report.intentsWeight().get(horizon)).as(horizon).isPositive();
    }
  }
}
