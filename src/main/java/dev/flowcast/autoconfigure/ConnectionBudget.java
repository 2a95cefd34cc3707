package dev.flowcast.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.flowcast.config.FlowcastSetupException;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/**
 * Whether the connection pool can serve the job executor and the requests at once. Each of the job
 * executor's threads holds a connection for as long as its job runs; if the pool has no more than
 * that, requests wait for a connection (up to the pool's time-out) whenever every thread is busy.
 * Only a HikariCP pool is checked: its size is known before it opens.
 */
final class ConnectionBudget {

  static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
  static final String JOB_THREADS = "camunda.bpm.job-execution.max-pool-size";
  static final String API_CONNECTIONS = "flowcast.database.api-connections";

  private ConnectionBudget() {}

  /** The pool's largest size, if it is a HikariCP pool (behind whatever wraps it). */
  static Optional<Integer> poolSizeOf(DataSource dataSource) {
    if (!ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", ConnectionBudget.class.getClassLoader())) {
      return Optional.empty();
    }
    try {
      return dataSource.isWrapperFor(HikariDataSource.class)
          ? Optional.of(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize()) : Optional.empty();
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  /**
   * @param jobThreads the job executor's threads at most (0 when it is off)
   * @throws FlowcastSetupException when the pool is smaller than the threads and the connections kept for requests
   */
  static void check(int poolSize, int jobThreads, int apiConnections) {
    int needed = jobThreads + apiConnections;
    if (jobThreads == 0 || poolSize >= needed) {
      return;
    }
    throw new FlowcastSetupException("FLOWCAST-400 the connection pool (" + POOL_SIZE + "=" + poolSize
        + ") is smaller than the job executor's threads (" + JOB_THREADS + "=" + jobThreads
        + ") and the connections kept for requests (" + API_CONNECTIONS + "=" + apiConnections
        + "): while every job runs, requests would wait for a connection",
        "set " + POOL_SIZE + " to at least " + needed + ", or " + JOB_THREADS + " to at most "
            + Math.max(1, poolSize - apiConnections) + " (or " + API_CONNECTIONS + " lower)");
  }
}
