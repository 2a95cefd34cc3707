package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Features of hand-made sequences, checked by name. */
class IntentFeaturesTest {

  private final Vocabulary vocabulary = new Vocabulary(List.of("login", "query", "report"));
  private final IntentFeatures features = new IntentFeatures(vocabulary, 2);
  private final Instant t0 = Instant.parse("2026-11-23T09:00:00Z"); // a Monday

  private float value(float[] row, String name) {
    return row[features.names().indexOf(name)];
  }

  @Test
  void shouldNameEveryColumn() {
    assertThat(features.names()).hasSize(features.width()).doesNotHaveDuplicates();
  }

  @Test
  void shouldOneHotTheLastActionsAndMarkMissingOnes() {
    Session prefix = new Session("s", "alice", List.of("login", "query"), List.of(t0, t0.plusSeconds(60)));

    float[] row = features.encode(prefix, t0.plusSeconds(60), Double.NaN, null);

    assertThat(value(row, "last1=query")).isEqualTo(1f);
    assertThat(value(row, "last1=login")).isZero();
    assertThat(value(row, "last2=login")).isEqualTo(1f);
    Session single = prefix.prefix(1);
    float[] short_ = features.encode(single, t0, Double.NaN, null);
    assertThat(value(short_, "last2=none")).isEqualTo(1f);
  }

  @Test
  void shouldMarkAnActionTrainingNeverSaw() {
    Session prefix = new Session("s", "alice", List.of("delete-everything"), List.of(t0));

    float[] row = features.encode(prefix, t0, Double.NaN, null);

    assertThat(value(row, "last1=unknown")).isEqualTo(1f);
  }

  @Test
  void shouldMeasureGapsPositionCountsAndCalendar() {
    Session prefix = new Session("s", "alice", List.of("login", "query", "query"),
        List.of(t0, t0.plusSeconds(9), t0.plusSeconds(99)));

    float[] row = features.encode(prefix, t0.plusSeconds(99), 0.25, null);

    assertThat(value(row, "gap1_log_seconds")).isCloseTo((float) Math.log1p(90), within(1e-5f));
    assertThat(value(row, "gap2_log_seconds")).isCloseTo((float) Math.log1p(9), within(1e-5f));
    assertThat(value(row, "position")).isEqualTo(3f);
    assertThat(value(row, "since_start_log_seconds")).isCloseTo((float) Math.log1p(99), within(1e-5f));
    assertThat(value(row, "count=query")).isEqualTo(2f);
    assertThat(value(row, "share=login")).isCloseTo(1f / 3, within(1e-6f));
    assertThat(value(row, "last_seen_before")).isEqualTo(1f);
    assertThat(value(row, "weekday_sin")).isZero(); // Monday
    assertThat(value(row, "hour_cos")).as("09:01, to the minute").isCloseTo((float) Math.cos((9 + 1 / 60.0) / 24 * 2 * Math.PI), within(1e-5f));
    assertThat(value(row, "system_load")).isEqualTo(0.25f);
    assertThat(Float.isNaN(value(row, "lately_transitions_log"))).as("no history given").isTrue();
  }

  @Test
  void shouldPlaceTheLastActionOnTheClockAndWeekAsTheCalendarDoesInUtc() {
    Random random = new Random(11);
    for (int i = 0; i < 2000; i++) {
      // from 1950 to 2100, before 1970 too, to the nanosecond
      Instant at = Instant.ofEpochSecond(random.nextLong(-631_152_000L, 4_102_444_800L), random.nextInt(1_000_000_000));
      ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
      double hour = (utc.getHour() + utc.getMinute() / 60.0) / 24.0 * 2 * Math.PI;
      double weekday = (utc.getDayOfWeek().getValue() - 1) / 7.0 * 2 * Math.PI;

      float[] row = features.encode(new Session("s", "alice", List.of("login"), List.of(at)), at, Double.NaN, null);

      assertThat(value(row, "hour_sin")).as("%s", at).isEqualTo((float) Math.sin(hour));
      assertThat(value(row, "hour_cos")).as("%s", at).isEqualTo((float) Math.cos(hour));
      assertThat(value(row, "weekday_sin")).as("%s", at).isEqualTo((float) Math.sin(weekday));
      assertThat(value(row, "weekday_cos")).as("%s", at).isEqualTo((float) Math.cos(weekday));
    }
  }

  @Test
  void shouldCountOnlyTransitionsThatHappenedBeforeTheMoment() {
    Session other = new Session("o", "bob", List.of("login", "report", "login", "query"),
        List.of(t0, t0.plusSeconds(10), t0.plusSeconds(20), t0.plusSeconds(30)));
    TransitionHistory history = new TransitionHistory(vocabulary, List.of(other), 100);

    float[] beforeSecond = history.recent("login", t0.plusSeconds(30));
    float[] afterSecond = history.recent("login", t0.plusSeconds(31));
    float[] beforeAny = history.recent("login", t0.plusSeconds(10));

    assertThat(beforeSecond[vocabulary.indexOf("report")]).isEqualTo(1f);
    assertThat(beforeSecond[vocabulary.indexOf("query")]).as("login → query happened at 30 s, not before").isZero();
    assertThat(afterSecond[vocabulary.indexOf("query")]).isEqualTo(0.5f);
    assertThat(Float.isNaN(beforeAny[0])).as("nothing had happened yet").isTrue();
  }
}
