package dev.flowcast.composer;

import static dev.flowcast.composer.RightsFixture.RUN_REPORT_KEYS;
import static dev.flowcast.composer.RightsFixture.componentsIn;
import static dev.flowcast.composer.RightsFixture.firstComponent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.FlowcastTest;
import dev.flowcast.config.ProcessKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Another node of a cluster changes rights in the shared database without this node's engine
 * running a command: this node honours the change once the answers it kept have lived their time
 * to live (three seconds here), and the engine refuses at once what it checks itself when an
 * instance starts.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:rights-changed-elsewhere;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "flowcast.composer.authorization-cache-ttl=PT3S"})
class RightsChangedElsewhereTest extends RightsScenario {

  static final Duration TTL = Duration.ofSeconds(3);

  @Test
  void shouldHonourARightRevokedOnAnotherNodeOnceTheTimeToLiveHasPassed() throws InterruptedException {
    rights.givenUserWhoMayStart("elsewhereGina", RUN_REPORT_KEYS);
    // the first composition asks the engine somewhere between these two instants
    long asking = System.nanoTime();
    String bound = firstComponent(fixture.compose("elsewhereGina", "run-report"));
    long answered = System.nanoTime();

    rights.revokeInTheDatabase("elsewhereGina", ProcessKeys.component(bound));
    CompositionResult soon = fixture.compose("elsewhereGina", "run-report");

    if (System.nanoTime() - asking < TTL.toNanos()) {
      // the trade-off: within its time to live this node still believes what it was told
      assertThat(componentsIn(soon)).contains(bound);
    }
    Thread.sleep(Math.max(0, Duration.ofNanos(answered + TTL.toNanos() - System.nanoTime()).toMillis()) + 100);
    assertThat(componentsIn(fixture.compose("elsewhereGina", "run-report"))).doesNotContain(bound);
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
