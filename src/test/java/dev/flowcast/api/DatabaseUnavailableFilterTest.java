package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.TransactionSystemException;

/** The database out of reach is a 503 the client may retry; any other failure stays what it was. */
class DatabaseUnavailableFilterTest {

  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final DatabaseUnavailableFilter filter = new DatabaseUnavailableFilter(json);

  @Test
  void shouldAnswer503WithRetryAfterWhenTheEngineCannotGetAConnection() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();

    filter.doFilter(new MockHttpServletRequest("POST", "/flowcast/api/requests"), response, (request, answer) -> {
      throw new ProcessEngineException("could not check the password",
          new PersistenceException(new SQLTransientConnectionException("Connection is not available")));
    });

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(json.readTree(response.getContentAsString()).get("message").asText())
        .isEqualTo("the database cannot be reached: nothing was changed; try again shortly");
  }

  @Test
  void shouldRecogniseALostConnectionBySqlState() {
    assertThat(DatabaseUnavailableFilter.unreachable(new RuntimeException(new SQLException("refused", "08001"))))
        .isTrue();
    assertThat(DatabaseUnavailableFilter.unreachable(new RuntimeException(
        new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
    assertThat(DatabaseUnavailableFilter.unreachable(new RuntimeException(
        new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
  }

  @Test
  void shouldLookBehindARollbackThatFailedOnTheSameDeadConnection() {
    TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed"));
    rollback.initApplicationException(new RuntimeException(
        new SQLException("An I/O error occurred while sending to the backend", "08006")));

    assertThat(DatabaseUnavailableFilter.unreachable(new ProcessEngineException("persistence", rollback))).isTrue();
  }

  @Test
  void shouldRecogniseAConnectionThePoolClosedWhenTheServerShutDownMidTransaction() {
    // as a cluster node logged it while PostgreSQL stopped: the query and then the rollback both
    // on the connection the pool had closed, neither with an SQL state
    TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed"));
    rollback.initApplicationException(new ProcessEngineException("persistence",
        new RuntimeException("Error querying database", new SQLException("Connection is closed"))));

    assertThat(DatabaseUnavailableFilter.unreachable(new ProcessEngineException("persistence", rollback))).isTrue();
    assertThat(DatabaseUnavailableFilter.unreachable(new SQLException("Connection refused by a bug"))).isFalse();
  }

  @Test
  void shouldLetEveryOtherFailureThrough() {
    assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/flowcast/api/profile"),
        new MockHttpServletResponse(), (request, answer) -> {
          throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
  }
}
