package dev.flowcast.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import java.time.Clock;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The composer knows what is arriving: with spot units on their way, a request waits for them in
 * the queue rather than taking a costlier pool now; with nothing on its way it is composed as
 * before. The same application as {@link CapacityTickTest} (its test cloud as the provider).
 */
@OnTheTestCloud
class ArrivingCapacityScenarioTest {

  @Autowired TestCloud cloud;
  @Autowired ProviderPoolSupply sizes;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired Clock clock;

  private EngineFixture fixture;

  @BeforeEach
  void onDemandReadyNoSpotAndAFixedReservedPool() {
    cloud.reset();
    cloud.readyNow("on-demand", 8);
    sizes.forget("spot");
    sizes.forget("on-demand");
    fixture = new EngineFixture(engine, composer, catalog);
  }

  @AfterEach
  void nothingLeftRunningAndTheCatalogAsShipped() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
  }

  @Test
  void shouldWaitForCheaperSpotUnitsOnTheirWayRatherThanTakeACostlierPoolNow() {
    // given 8 spot units asked for, ready in 3 minutes (the catalog's spot lead time)
    cloud.requestTarget("spot", 8, clock.instant());
    sizes.forget("spot");

    CompositionResult waiting = fixture.compose("alice", "run-report");

    assertThat(waiting.status()).as(waiting.reason()).isEqualTo(CompositionResult.Status.QUEUED);
    assertThat(waiting.reason()).startsWith("worth waiting for capacity on its way in spot: ")
        .contains("fits by +5 min")
        // a run costs millionths of a dollar: the reason says how many, not 0.0000
        .doesNotContain(" 0 USD").containsPattern("at 0\\.0+[1-9][0-9]* USD per run, against 0\\.0+[1-9][0-9]* USD per run");
    assertThat(waiting.chosen().workflow().tasks()).anyMatch(task -> task.pool().equals("spot"));
  }

  @Test
  void shouldNotWaitForUnitsOnTheirWayThatSaveLessThanTheLeastSavingWorthIt() {
    // given spot priced only 5% below on-demand (flowcast.composer.least-saving-to-wait is 10%),
    // and 8 spot units asked for, ready in 3 minutes
    PricedPool onDemand = catalog.pools().get("on-demand");
    PricedPool spot = catalog.pools().get("spot");
    fixture.setPool(new PricedPool("spot", spot.capacity(), onDemand.pricePerVcpuHour() * 0.95,
        onDemand.pricePerGbHour() * 0.95, spot.interruptionRatePerHour(), spot.elasticity()));
    cloud.requestTarget("spot", 8, clock.instant());
    sizes.forget("spot");

    CompositionResult composed = fixture.compose("alice", "run-report");

    // then the request starts now on what is ready: a 5% saving is not worth its wait
    assertThat(composed.status()).as(composed.reason()).isEqualTo(CompositionResult.Status.STARTED);
    assertThat(composed.reason()).doesNotContain("worth waiting");
  }

  @Test
  void shouldComposeAsBeforeWhenNothingIsOnItsWay() {
    CompositionResult composed = fixture.compose("alice", "run-report");

    assertThat(composed.status()).isEqualTo(CompositionResult.Status.STARTED);
    assertThat(composed.reason()).doesNotContain("worth waiting");
  }
}
