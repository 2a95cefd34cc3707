package dev.flowcast.queue;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link QueuedRequestsTest} on a real PostgreSQL (profile {@code postgres}): the list of queued requests,
 * its index and the queries over it and the engine's jobs. Runs when
 * {@code FLOWCAST_TEST_POSTGRES_URL} names a database; skipped otherwise.
 */
@ActiveProfiles({"demo", "test", "postgres"})
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_POSTGRES_URL", matches = ".+")
class QueuedRequestsOnPostgresTest extends QueuedRequestsTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> System.getenv("FLOWCAST_TEST_POSTGRES_URL"));
  }
}
