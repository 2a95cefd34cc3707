package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** New sessions by hour of the week: what no active user announces, from the weeks before. */
class ArrivalProfileTest {

  /** A Monday. */
  private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant NEXT_MONDAY = MONDAY.plus(Duration.ofDays(7));

  private static List<ArrivalProfile.Arrival> everyMondayAtNine(int weeks, int... countsPerWeek) {
    List<ArrivalProfile.Arrival> arrivals = new ArrayList<>();
    for (int week = 0; week < weeks; week++) {
      Instant nine = MONDAY.minus(Duration.ofDays(7L * week)).plus(Duration.ofHours(9));
      int count = countsPerWeek[week % countsPerWeek.length];
      for (int i = 0; i < count; i++) {
        arrivals.add(new ArrivalProfile.Arrival(nine.plus(Duration.ofMinutes(5L * i)), "open-ticket"));
      }
    }
    return arrivals;
  }

  @Test
  void shouldExpectTheSessionsThatTheSameHourOfTheWeekSawBefore() {
    // given 3 tickets opened every Monday between 09:00 and 10:00 for 8 weeks, and none at other times
    ArrivalProfile profile = ArrivalProfile.learn(everyMondayAtNine(8, 3), NEXT_MONDAY, 8);

    // then next Monday 09:00-10:00 expects 3, with no spread; Tuesday at the same hour expects none
    ArrivalProfile.Expected monday = profile.expectedBetween(NEXT_MONDAY.plus(Duration.ofHours(9)),
        NEXT_MONDAY.plus(Duration.ofHours(10))).get("open-ticket");
    assertThat(monday.sessions()).isCloseTo(3.0, within(1e-9));
    assertThat(monday.variance()).isCloseTo(0.0, within(1e-9));
    assertThat(profile.sessionsBetween(NEXT_MONDAY.plus(Duration.ofHours(33)), NEXT_MONDAY.plus(Duration.ofHours(34))))
        .isZero();
  }

  @Test
  void shouldCountAPartOfAnHourByItsShare() {
    ArrivalProfile profile = ArrivalProfile.learn(everyMondayAtNine(8, 3), NEXT_MONDAY, 8);

    // a quarter of the hour, and a stretch of 08:30-09:30 that holds half of it
    assertThat(profile.sessionsBetween(NEXT_MONDAY.plus(Duration.ofMinutes(540)),
        NEXT_MONDAY.plus(Duration.ofMinutes(555)))).isCloseTo(0.75, within(1e-9));
    assertThat(profile.sessionsBetween(NEXT_MONDAY.plus(Duration.ofMinutes(510)),
        NEXT_MONDAY.plus(Duration.ofMinutes(570)))).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void shouldGiveTheSpreadAcrossWeeksAsTheVarianceOfTheCount() {
    // given Mondays alternating 1 and 5 tickets: mean 3, variance 4
    ArrivalProfile profile = ArrivalProfile.learn(everyMondayAtNine(8, 1, 5), NEXT_MONDAY, 8);

    ArrivalProfile.Expected monday = profile.expectedBetween(NEXT_MONDAY.plus(Duration.ofHours(9)),
        NEXT_MONDAY.plus(Duration.ofHours(10))).get("open-ticket");

    assertThat(monday.sessions()).isCloseTo(3.0, within(1e-9));
    assertThat(monday.variance()).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void shouldLearnOnlyFromTheWholeWeeksBeforeTheMomentItIsGiven() {
    // given 8 Mondays of 3 tickets before NEXT_MONDAY, and a Monday of 40 tickets after it
    List<ArrivalProfile.Arrival> arrivals = new ArrayList<>(everyMondayAtNine(8, 3));
    for (int i = 0; i < 40; i++) {
      arrivals.add(new ArrivalProfile.Arrival(NEXT_MONDAY.plus(Duration.ofHours(9)), "open-ticket"));
    }

    // when it learns from the 4 weeks before NEXT_MONDAY
    ArrivalProfile profile = ArrivalProfile.learn(arrivals, NEXT_MONDAY, 4);

    // then the later Monday is not read, and the 4 weeks are what it averages over
    assertThat(profile.weeks()).isEqualTo(4);
    assertThat(profile.sessionsBetween(NEXT_MONDAY.plus(Duration.ofHours(9)), NEXT_MONDAY.plus(Duration.ofHours(10))))
        .isCloseTo(3.0, within(1e-9));
  }

  @Test
  void shouldRefuseToLearnFromLessThanAWeek() {
    assertThatThrownBy(() -> ArrivalProfile.learn(List.of(), NEXT_MONDAY, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one week");
  }
}
