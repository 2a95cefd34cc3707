package dev.flowcast.composer;

import static dev.flowcast.composer.RightsFixture.RUN_REPORT_KEYS;
import static dev.flowcast.composer.RightsFixture.componentsIn;
import static dev.flowcast.composer.RightsFixture.firstComponent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.FlowcastTest;
import dev.flowcast.config.ProcessKeys;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Another node of a cluster changes rights in the shared database without this node's engine
 * running a command: this node honours the change once the answers it kept have lived their time
 * to live (three seconds here, on a clock the test moves), and the engine refuses at once what it
 * checks itself when an instance starts.
 */
@FlowcastTest
@TestPropertySource(properties =
    "spring.datasource.url=jdbc:h2:mem:rights-changed-elsewhere;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
class RightsChangedElsewhereTest extends RightsScenario {

  static final Duration TTL = Duration.ofSeconds(3);
  /** The cache's clock, moved by the tests: what it measures is the time to live, not the machine's speed. */
  static final AtomicLong NANOS = new AtomicLong();

  @TestBean(methodName = "answersOnTheTestsClock")
  AuthorizationCache answers;

  static AuthorizationCache answersOnTheTestsClock() {
    return new AuthorizationCache(TTL, NANOS::get);
  }

  @Test
  void shouldHonourARightRevokedOnAnotherNodeOnceTheTimeToLiveHasPassed() {
    rights.givenUserWhoMayStart("elsewhereGina", RUN_REPORT_KEYS);
    String bound = firstComponent(fixture.compose("elsewhereGina", "run-report"));

    rights.revokeInTheDatabase("elsewhereGina", ProcessKeys.component(bound));
    NANOS.addAndGet(TTL.toNanos() - 1);
    CompositionResult soon = fixture.compose("elsewhereGina", "run-report");
    NANOS.addAndGet(1);
    CompositionResult later = fixture.compose("elsewhereGina", "run-report");

    // the trade-off: within its time to live this node still believes what it was told
    assertThat(componentsIn(soon)).contains(bound);
    assertThat(componentsIn(later)).doesNotContain(bound);
  }

  @Test
  void shouldBeRefusedByTheEngineAtOnceWhenTheRightToStartTheComposedProcessIsRevokedOnAnotherNode() {
    rights.givenUserWhoMayStart("elsewhereKim", RUN_REPORT_KEYS);
    fixture.compose("elsewhereKim", "run-report");

    rights.revokeInTheDatabase("elsewhereKim", ProcessKeys.composed("run-report"));

    assertThatThrownBy(() -> fixture.compose("elsewhereKim", "run-report"))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("not authorized by the engine");
  }
}
