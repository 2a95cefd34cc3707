package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * A request whose chosen workflow no longer fits when its pools are locked (another request took
 * the room meanwhile) has its start rolled back and is composed again. The rollback must not need
 * a second database connection: when the start's transaction had also deployed the composition,
 * the engine undid the deployment after the rollback in a command of its own, on a new connection
 * while the first was still held. Twenty clients on the catalog's pools, the first time each
 * composition was asked for, had all ten connections held by requests each waiting for one more,
 * until the pool's time-out: 30 s, then errors. Here the request has one connection to itself (the
 * pool has two, the test holds the other), and its first check finds that the room is gone.
 */
@FlowcastTest
@Import(StartRolledBackTest.RoomTakenAtTheFirstCheck.class)
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:start-rolled-back;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "spring.datasource.hikari.maximum-pool-size=2",
    "spring.datasource.hikari.connection-timeout=3000"})
class StartRolledBackTest {

  @Autowired Composer composer;
  @Autowired ProcessEngine engine;
  @Autowired HikariDataSource pool;
  @Autowired MeterRegistry meters;

  @Test
  void shouldComposeAgainOnTheOneConnectionLeftWhenANewCompositionNoLongerFitsAtItsCheck() throws Exception {
    // given a composition never deployed, and one connection of the pool's two held elsewhere
    assertThat(engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("flowcast-run-report")
        .count()).isZero();
    double timeoutsBefore = connectionTimeouts();
    CompositionResult result;
    try (Connection heldElsewhere = pool.getConnection()) {
      // when the first check under the pools' locks finds the room taken
      result = composer.compose(new CompositionRequest(
          "alice", "run-report", Map.of(), Instant.now().plusSeconds(3600), CompositionRequest.Origin.REQUEST));
    }

    // then the request started on its second try, and nobody waited for a connection until the time-out
    assertThat(RoomTakenAtTheFirstCheck.checks.get()).isEqualTo(2);
    assertThat(result.status()).isEqualTo(Status.STARTED);
    assertThat(connectionTimeouts() - timeoutsBefore).as("waits for a connection that timed out").isZero();
    // and the composition was deployed once, ahead of the start that was rolled back
    assertThat(engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("flowcast-run-report")
        .count()).isEqualTo(1);
  }

  private double connectionTimeouts() {
    return meters.find("hikaricp.connections.timeout").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The application's scorer, but the first check under the pools' locks finds that another request took the room. */
  @TestConfiguration(proxyBeanMethods = false)
  static class RoomTakenAtTheFirstCheck {

    static final AtomicInteger checks = new AtomicInteger();

    @Bean
    Scorer roomTakenAtTheFirstCheck(FlowcastProperties properties, ObjectProvider<DurationEstimates> durations) {
      Scorer scorer = Scorer.weighted(properties.scoring(), durations.getIfAvailable(DurationEstimates::declared));
      return new Scorer() {
        @Override
        public List<ScoredWorkflow> score(List<Workflow> candidates, double probability, ResourceProfile profile) {
          return scorer.score(candidates, probability, profile);
        }

        @Override
        public boolean stillFits(Workflow chosen, double probability, ResourceProfile profile) {
          return checks.incrementAndGet() > 1 && scorer.stillFits(chosen, probability, profile);
        }
      };
    }
  }
}
