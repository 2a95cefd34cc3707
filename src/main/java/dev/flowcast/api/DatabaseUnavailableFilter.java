package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request that fails because the database cannot be reached answers 503 with the API's JSON
 * error and a {@code Retry-After}, instead of a 500: its transaction rolled back, nothing was
 * changed, and the same request will work once the database is back (the connection pool
 * reconnects by itself). Outermost on the API, so that authentication, which asks the engine's
 * identity tables, is covered too.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

  static final String MESSAGE = "the database cannot be reached: nothing was changed; try again shortly";
  static final int RETRY_AFTER_SECONDS = 5;
  /** HikariCP's words for a connection it has closed under its user. */
  static final String CONNECTION_CLOSED_BY_THE_POOL = "Connection is closed";

  private final ObjectMapper json;

  DatabaseUnavailableFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException e) {
      if (!unreachable(e) || response.isCommitted()) {
        throw e;
      }
      response.resetBuffer();
      response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
      response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      json.writeValue(response.getOutputStream(), ApiError.of(HttpStatus.SERVICE_UNAVAILABLE, MESSAGE));
    }
  }

  /**
   * Whether the failure is the database out of reach: no connection to be had, or the connection
   * lost (SQL state class 08, or PostgreSQL's 57P01–57P03 while the server shuts down or starts,
   * or a connection the pool closed after the server dropped it).
   */
  static boolean unreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException
          || cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
        return true;
      }
      // the pool closed the transaction's connection once the server dropped it: every later use,
      // the rollback's included, fails with this, without an SQL state
      if (cause instanceof SQLException sql && sql.getSQLState() == null
          && CONNECTION_CLOSED_BY_THE_POOL.equals(sql.getMessage())) {
        return true;
      }
      // a rollback on a dead connection fails too, and hides the failure that made it roll back
      if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
          && unreachable(rollback.getApplicationException())) {
        return true;
      }
    }
    return false;
  }
}
