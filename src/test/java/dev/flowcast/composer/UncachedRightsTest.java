package dev.flowcast.composer;

import static dev.flowcast.composer.RightsFixture.RUN_REPORT_KEYS;
import static dev.flowcast.composer.RightsFixture.componentsIn;
import static dev.flowcast.composer.RightsFixture.firstComponent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import dev.flowcast.config.ProcessKeys;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** {@code flowcast.composer.authorization-cache-ttl=0}: the engine is asked about rights every time. */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:uncached-rights;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "flowcast.composer.authorization-cache-ttl=0"})
class UncachedRightsTest extends RightsScenario {

  @Test
  void shouldHonourARightRevokedInTheDatabaseByTheVeryNextComposition() {
    rights.givenUserWhoMayStart("uncachedLena", RUN_REPORT_KEYS);
    String bound = firstComponent(fixture.compose("uncachedLena", "run-report"));

    rights.revokeInTheDatabase("uncachedLena", ProcessKeys.component(bound));

    assertThat(componentsIn(fixture.compose("uncachedLena", "run-report"))).doesNotContain(bound);
    assertThat(cache.size()).isZero();
  }
}
