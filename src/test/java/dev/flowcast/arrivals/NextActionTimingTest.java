package dev.flowcast.arrivals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.activity.ActivityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a session acts next, learned from the gaps that followed each action. */
class NextActionTimingTest {

  private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
  private static final Instant LONG_AFTER = T0.plusSeconds(30 * 86_400);

  @Test
  void shouldExpectTheQuickFollowerSoonAfterAnActionAndNotOnceItsUsualGapHasPassed() {
    // nine sessions scale the service 2 minutes after logging in, one a day after
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      Instant login = T0.plusSeconds(s * 3 * 86_400L);
      events.add(event("s" + s, login, "login"));
      events.add(event("s" + s, login.plusSeconds(s == 0 ? 86_400 : 120), "scale-service"));
    }

    NextActionTiming timing = NextActionTiming.learn(events, LONG_AFTER, action -> 1);

    assertThat(timing.chanceWithin("login", 30, 0, 300)).hasValueCloseTo(0.9, within(1e-9));
    // an hour after a login with nothing since, only the day-long gap is left, and it is not due yet
    assertThat(timing.chanceWithin("login", 3600, 0, 300)).hasValueCloseTo(0.0, within(1e-9));
    assertThat(timing.chanceWithin("login", 86_300, 0, 300)).hasValueCloseTo(1.0, within(1e-9));
  }

  @Test
  void shouldCountSessionsThatEndedAfterAnActionAsNeverFollowingIt() {
    // ten logins: five followed a minute later, five the end of their session
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      Instant login = T0.plusSeconds(s * 3600L);
      events.add(event("s" + s, login, "login"));
      if (s % 2 == 0) {
        events.add(event("s" + s, login.plusSeconds(60), "backup-database"));
        events.add(event("s" + s, login.plusSeconds(90), "logout"));
      }
    }

    NextActionTiming timing = NextActionTiming.learn(events, LONG_AFTER, action -> 1);

    assertThat(timing.chanceWithin("login", 0, 0, 120)).hasValueCloseTo(0.5, within(1e-9));
  }

  @Test
  void shouldNotTakeASessionWhoseLatestActionIsRecentForOneThatEnded() {
    // ten logins followed a minute later; ten more just now, with nothing after them yet
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      events.add(event("old" + s, T0.plusSeconds(s * 3600L), "login"));
      events.add(event("old" + s, T0.plusSeconds(s * 3600L + 60), "run-report"));
      events.add(event("new" + s, LONG_AFTER.plusSeconds(s), "login"));
    }

    NextActionTiming timing = NextActionTiming.learn(events, LONG_AFTER, action -> 1);

    assertThat(timing.chanceWithin("login", 0, 0, 120)).hasValueCloseTo(1.0, within(1e-9));
  }

  @Test
  void shouldAnswerARareActionFromTheGapsOfAllActionsAndNothingBeforeTenGapsAreKnown() {
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < 12; s++) {
      events.add(event("s" + s, T0.plusSeconds(s * 3600L), s < 2 ? "rare" : "login"));
      events.add(event("s" + s, T0.plusSeconds(s * 3600L + 600), "run-report"));
    }

    NextActionTiming timing = NextActionTiming.learn(events, LONG_AFTER, action -> 1);
    NextActionTiming tooLittle = NextActionTiming.learn(events.subList(0, 18), LONG_AFTER, action -> 1);

    // "rare" was followed twice, 10 minutes later: answered as any action, 12 of 24 followed (the rest ended)
    assertThat(timing.chanceWithin("rare", 0, 0, 700)).hasValueCloseTo(0.5, within(1e-9));
    assertThat(timing.chanceWithin("login", 0, 0, 700)).hasValueCloseTo(1.0, within(1e-9));
    assertThat(tooLittle.chanceWithin("login", 0, 0, 700)).isEmpty();
  }

  @Test
  void shouldSumTheValuesOfTheFollowersExpectedInAWindow() {
    // after a login: a report (2 vCPU) 1 minute later in half the sessions, a backup (1.5) 10 minutes later in the rest
    List<ActivityEvent> events = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      Instant login = T0.plusSeconds(s * 3600L);
      events.add(event("s" + s, login, "login"));
      events.add(s % 2 == 0 ? event("s" + s, login.plusSeconds(60), "run-report")
          : event("s" + s, login.plusSeconds(600), "backup-database"));
    }
    Map<String, Double> vcpu = Map.of("run-report", 2.0, "backup-database", 1.5);

    NextActionTiming timing = NextActionTiming.learn(events, LONG_AFTER, action -> vcpu.getOrDefault(action, 0.0));

    assertThat(timing.valueWithin("login", 0, 0, 300)).isCloseTo(0.5 * 2.0, within(1e-9));
    assertThat(timing.valueWithin("login", 0, 300, 900)).isCloseTo(0.5 * 1.5, within(1e-9));
    // two minutes after a login with no report, only the backups are left to come
    assertThat(timing.valueWithin("login", 120, 0, 600)).isCloseTo(1.5, within(1e-9));
  }

  private static ActivityEvent event(String session, Instant at, String action) {
    return new ActivityEvent(at, "user-" + session, action, session, Map.of(), Map.of());
  }
}
