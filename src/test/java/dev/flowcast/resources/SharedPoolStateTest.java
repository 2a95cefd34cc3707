package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an operator changes through one node of a cluster is in force on the others: two nodes
 * here are two catalogs, or two notice boards, on the same database.
 */
@FlowcastTest
class SharedPoolStateTest {

  @Autowired JdbcClient jdbc;

  @AfterEach
  void tearDown() {
    jdbc.sql("delete from flowcast_pool_override").update();
    jdbc.sql("delete from flowcast_interruption").update();
  }

  @Test
  void shouldPutAPoolOverrideMadeOnOneNodeInForceOnTheOtherAtItsNextCheck() {
    PriceCatalog nodeA = catalog();
    PriceCatalog nodeB = catalog();
    PricedPool small = new PricedPool("spot", new ResourceDemand(0.5, 64, 1, 1), 0.5, 0.05, 0.2);

    nodeA.override(small);
    assertThat(nodeB.pools().get("spot")).as("before B's check").isNotEqualTo(small);
    nodeB.refreshOverrides();

    assertThat(nodeA.pools().get("spot")).isEqualTo(small);
    assertThat(nodeB.pools().get("spot")).isEqualTo(small);
    assertThat(nodeB.current().overridden()).containsExactly("spot");
  }

  @Test
  void shouldDropOverridesEverywhereWhenTheCatalogIsReadAgain() {
    PriceCatalog nodeA = catalog();
    PriceCatalog nodeB = catalog();
    nodeA.override(new PricedPool("spot", new ResourceDemand(0.5, 64, 1, 1), 0.5, 0.05, 0.2));

    nodeA.reload();
    nodeB.refreshOverrides();

    assertThat(nodeB.current().overridden()).isEmpty();
    assertThat(jdbc.sql("select count(*) from flowcast_pool_override").query(Long.class).single()).isZero();
  }

  @Test
  void shouldPutAnInterruptionNoticeRaisedOnOneNodeInForceOnTheOtherWithinASecond() throws Exception {
    InterruptionSignals nodeA = new InterruptionSignals(jdbc);
    InterruptionSignals nodeB = new InterruptionSignals(jdbc);
    Instant now = Instant.now();
    assertThat(nodeB.activePools(now)).isEmpty();

    nodeA.raise("spot", Duration.ofMinutes(2), "reclaim notice", now);
    Thread.sleep(InterruptionSignals.READ_INTERVAL.toMillis() + 100);

    assertThat(nodeB.activePools(Instant.now())).containsExactly("spot");
    assertThat(nodeB.active(Instant.now()).get("spot").reason()).isEqualTo("reclaim notice");
    assertThat(nodeB.clear("spot")).isTrue();
    Thread.sleep(InterruptionSignals.READ_INTERVAL.toMillis() + 100);
    assertThat(nodeA.activePools(Instant.now())).isEmpty();
  }

  private PriceCatalog catalog() {
    return new PriceCatalog(new DefaultResourceLoader(), "classpath:config/prices.yml", "classpath:config/prices.yml",
        new PoolOverrides(jdbc));
  }
}
