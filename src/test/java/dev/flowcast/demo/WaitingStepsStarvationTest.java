package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.flowcast.FlowcastTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * Steps whose work waits must not starve the API of database connections. Here the connection
 * pool is as small as the job executor (4 and 4), a request may wait 2 s for a connection, and
 * three steps of one of the engine's own demo components (provision: its real part, then a minute
 * of simulated waiting) are taken by the job executor at once. A step that waited inside its job
 * held its connection (and its transaction) for that minute: three of the four connections were
 * held by steps doing nothing, and a fourth step would have left the API none. A step that waits
 * in a wait state holds none while it waits.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=" + WaitingStepsStarvationTest.DATABASE + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "spring.datasource.hikari.maximum-pool-size=4",
    "spring.datasource.hikari.connection-timeout=2000",
    "camunda.bpm.job-execution.enabled=true",
    "camunda.bpm.job-execution.core-pool-size=4",
    "camunda.bpm.job-execution.max-pool-size=4",
    "flowcast.database.api-connections=0",
    // provision-on-demand declares PT15S: a minute of simulated waiting
    "flowcast.demo.time-scale=4"})
class WaitingStepsStarvationTest {

  static final String DATABASE = "jdbc:h2:mem:waiting-steps-starvation";
  private static final int STEPS = 3;

  @Autowired ProcessEngine engine;
  @Autowired TestRestTemplate rest;
  @Autowired HikariDataSource pool;

  @AfterEach
  void tearDown() {
    engine.getRuntimeService().createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(instance -> engine.getRuntimeService().deleteProcessInstance(instance.getId(), "test cleanup"));
  }

  @Test
  void shouldHoldNoConnectionWhileStepsWaitAndAnswerRequests() throws Exception {
    // given three provisioning steps taken by the job executor
    for (int step = 0; step < STEPS; step++) {
      engine.getRuntimeService().startProcessInstanceByKey("component-provision-on-demand",
          Map.of("flowcastPool", "on-demand"));
    }
    // and their real work done: now they wait out their declared duration (watched from outside
    // the pool, which may have no connection to spare)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (workDone() < STEPS && System.nanoTime() < deadline) {
      Thread.sleep(50); // polled until the job executor has run every step's real part
    }
    assertThat(workDone()).as("provisioning steps whose real part ran").isEqualTo(STEPS);

    // when they wait out the rest of their minute
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pool.getHikariPoolMXBean().getActiveConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50); // polled until the steps have left the job executor's threads
    }

    // then they hold no connection of the pool
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections held while the steps wait")
        .isZero();

    // and a user's request is answered
    ResponseEntity<String> answer = rest.withBasicAuth("alice", "alice").postForEntity("/flowcast/api/requests",
        new HttpEntity<>("{\"intent\": \"run-report\"}", jsonHeaders()), String.class);
    assertThat(answer.getStatusCode().is2xxSuccessful())
        .as("answer %s %s, with %d of %d connections in use by others", answer.getStatusCode(), answer.getBody(),
            pool.getHikariPoolMXBean().getActiveConnections(), pool.getMaximumPoolSize())
        .isTrue();
  }

  /** Provisioning steps whose real part has committed, read on a connection of its own. */
  private static long workDone() throws SQLException {
    try (Connection connection = DriverManager.getConnection(DATABASE, "sa", "");
        ResultSet rows = connection.createStatement()
            .executeQuery("select count(*) from demo_capacity_event where action = 'provision'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static HttpHeaders jsonHeaders() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return headers;
  }
}
