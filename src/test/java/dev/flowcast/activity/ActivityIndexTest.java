package dev.flowcast.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every composition predicts from the user's latest actions: reading them costs the same whatever
 * the user's history (H2 here; PostgreSQL reads any index backwards).
 */
@FlowcastTest
class ActivityIndexTest {

  @Autowired JdbcClient jdbc;
  @Autowired ActivityLog activity;

  @Test
  void shouldReadAUsersNewestActionsAlongTheIndexAndStop() {
    String user = "long-history";
    List<ActivityEvent> history = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 2_000; i++) {
      history.add(new ActivityEvent(start.plusSeconds(i), user, "action-" + (i % 7), null, Map.of(), Map.of()));
    }
    activity.append(history, ActivityLog.Source.IMPORT);

    String plan = jdbc.sql("explain analyze " + JdbcActivityLog.recentOfUser(20)).param(user).query(String.class).single();

    assertThat(plan).contains("FLOWCAST_ACTIVITY_USER_LATEST").contains("index sorted").contains("scanCount: 20 ");
  }

  @Test
  void shouldGiveTheNewestActionsOldestFirst() {
    String user = "three-actions";
    Instant start = Instant.parse("2026-02-01T00:00:00Z");
    activity.append(List.of(
        new ActivityEvent(start, user, "first", null, Map.of(), Map.of()),
        new ActivityEvent(start.plusSeconds(1), user, "second", null, Map.of(), Map.of()),
        new ActivityEvent(start.plusSeconds(2), user, "third", null, Map.of(), Map.of())), ActivityLog.Source.IMPORT);

    assertThat(activity.recent(user, 2)).extracting(ActivityEvent::action).containsExactly("second", "third");
  }
}
