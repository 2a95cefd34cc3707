package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.adaptive.SwitchGovernor.History;
import dev.flowcast.adaptive.SwitchGovernor.Verdict;
import dev.flowcast.config.FlowcastProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hysteresis, cool-down and the limit: what keeps a degraded instance from flapping. */
class SwitchGovernorTest {

  static final FlowcastProperties.Adaptive SETTINGS = new FlowcastProperties.Adaptive(
      true, Duration.ofSeconds(5), 2.0, Duration.ofSeconds(5), 20, 100, Duration.ofMinutes(10), Duration.ofSeconds(1),
      2, 0.8, 0.1, Duration.ofMinutes(1), 2);
  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  final SwitchGovernor governor = new SwitchGovernor(SETTINGS);

  @Test
  void shouldSwitchOnlyAfterTheConfiguredNumberOfConsecutiveDegradedChecks() {
    assertThat(governor.judge("i", 1.5, History.NONE, NOW)).isEqualTo(Verdict.CONFIRMING);
    assertThat(governor.judge("i", 1.5, History.NONE, NOW)).isEqualTo(Verdict.SWITCH);
  }

  @Test
  void shouldKeepTheCountWhileTheDegradationHoversJustBelowItsThreshold() {
    governor.judge("i", 1.2, History.NONE, NOW);
    assertThat(governor.judge("i", 0.9, History.NONE, NOW)).as("inside the band: held").isEqualTo(Verdict.CONFIRMING);
    assertThat(governor.judge("i", 1.1, History.NONE, NOW)).isEqualTo(Verdict.SWITCH);
  }

  @Test
  void shouldStartCountingAgainOnlyOnceTheDegradationFallsBelowTheBand() {
    governor.judge("i", 1.2, History.NONE, NOW);
    assertThat(governor.judge("i", 0.5, History.NONE, NOW)).isEqualTo(Verdict.ALL_WELL);
    assertThat(governor.judge("i", 1.2, History.NONE, NOW)).isEqualTo(Verdict.CONFIRMING);
  }

  @Test
  void shouldWaitForTheCooldownAfterAnAttempt() {
    History justTried = new History(1, NOW.minusSeconds(30));
    governor.judge("i", 2.0, justTried, NOW);
    assertThat(governor.judge("i", 2.0, justTried, NOW)).isEqualTo(Verdict.COOLING_DOWN);
    History longAgo = new History(1, NOW.minus(Duration.ofMinutes(2)));
    assertThat(governor.judge("i", 2.0, longAgo, NOW)).isEqualTo(Verdict.SWITCH);
  }

  @Test
  void shouldNeverSwitchAnInstanceMoreThanTheMaximum() {
    History atLimit = new History(2, NOW.minus(Duration.ofHours(1)));
    for (int check = 0; check < 10; check++) {
      assertThat(governor.judge("i", 5.0, atLimit, NOW.plusSeconds(check * 5L))).isNotEqualTo(Verdict.SWITCH);
    }
  }

  @Test
  void shouldJudgeInstancesIndependentlyAndForgetEndedOnes() {
    governor.judge("a", 1.5, History.NONE, NOW);
    assertThat(governor.judge("b", 1.5, History.NONE, NOW)).isEqualTo(Verdict.CONFIRMING);
    governor.retainOnly(Set.of("b"));
    assertThat(governor.judge("a", 1.5, History.NONE, NOW)).as("a's count was forgotten").isEqualTo(Verdict.CONFIRMING);
  }
}
