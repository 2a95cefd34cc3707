package dev.flowcast.arrivals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.activity.ActivityEvent;
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
  void shouldCountAsStillToComeOnlyTheStretchAfterNow() {
    ArrivalProfile profile = ArrivalProfile.learn(everyMondayAtNine(8, 3), NEXT_MONDAY, 8);
    Instant quarterPastNine = NEXT_MONDAY.plus(Duration.ofMinutes(555));

    // asked at 09:15 for 09:00-09:30: the first quarter is past (its sessions are here or not), the second to come
    assertThat(profile.expectedStillToCome(quarterPastNine, NEXT_MONDAY.plus(Duration.ofMinutes(540)),
        NEXT_MONDAY.plus(Duration.ofMinutes(570))).get("open-ticket").sessions()).isCloseTo(0.75, within(1e-9));
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
  void shouldTakeAsUnannouncedTheFirstActionOneTooSoonAndOneAfterALongPauseButNotOneAnnouncedInTime() {
    // given a lead time of 90 s and a session gap of an hour
    Announcements announcements = new Announcements(Duration.ofSeconds(90), Duration.ofHours(1));
    Instant nine = NEXT_MONDAY.plus(Duration.ofHours(9));
    List<ActivityEvent> events = List.of(
        new ActivityEvent(nine, "ann", "login", null, null, null),
        new ActivityEvent(nine.plusSeconds(20), "ann", "open-ticket", null, null, null),
        new ActivityEvent(nine.plusSeconds(320), "ann", "close-ticket", null, null, null),
        new ActivityEvent(nine.plus(Duration.ofHours(3)), "ann", "open-ticket", null, null, null));

    // then the login (first), the ticket 20 s later (too soon) and the one three hours later are
    // unannounced; the close, 300 s after the ticket, was announced in time
    assertThat(ArrivalProfile.unannounced(events, announcements)).extracting(ArrivalProfile.Arrival::action)
        .containsExactly("login", "open-ticket", "open-ticket");
  }

  @Test
  void shouldLeaveToTheUsersIntentsOnlyTheNextActionsThatComeAnnouncedInTime() {
    // given a lead time of 90 s, a session gap of an hour, and a next action equally likely at any
    // second of the next hour
    Announcements announcements = new Announcements(Duration.ofSeconds(90), Duration.ofHours(1));
    java.util.function.DoubleBinaryOperator uniform = (from, to) -> (to - from) / 3600;

    // when the user's previous action was 30 s ago: within the next 5 minutes only what comes from
    // 60 s on is announced (90 s after the previous action); past the session gap nothing is
    assertThat(announcements.chanceAnnounced(30, 0, 300, uniform)).isCloseTo(240.0 / 3600, within(1e-12));
    assertThat(announcements.chanceAnnounced(3500, 0, 300, uniform)).isCloseTo(100.0 / 3600, within(1e-12));
    assertThat(announcements.chanceAnnounced(30, 0, 50, uniform)).isZero();
    assertThat(announcements.announced(Duration.ofSeconds(89))).isFalse();
    assertThat(announcements.announced(Duration.ofSeconds(90))).isTrue();
  }

  @Test
  void shouldRefuseToLearnFromLessThanAWeek() {
    assertThatThrownBy(() -> ArrivalProfile.learn(List.of(), NEXT_MONDAY, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one week");
  }
}
