package dev.flowcast.demo;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.worker.StepWork;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: the demo users and their rights, as real Camunda users, groups and
 * authorizations, and the demo order database. Created once; a restart on the same database
 * leaves what exists alone.
 *
 * <ul>
 *   <li>{@code demo/demo}: camunda-admin (created by the starter's admin-user setting)
 *   <li>{@code alice/alice}: group {@code operators}, may compose every intent
 *   <li>{@code bob/bob}: group {@code analysts}, may compose only {@code run-report}
 * </ul>
 */
class DemoData implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(DemoData.class);
  static final String OPERATORS = "operators";
  static final String ANALYSTS = "analysts";
  /** The processes an analyst may start: run-report and the components it can bind. */
  static final List<String> ANALYST_PROCESSES =
      List.of(
          ProcessKeys.composed("run-report"),
          ProcessKeys.component("provision-spot"),
          ProcessKeys.component("provision-on-demand"),
          ProcessKeys.component("query-primary"),
          ProcessKeys.component("query-replica"),
          ProcessKeys.component("render-report"),
      ProcessKeys.component("render-report-lite"),
          ProcessKeys.component("notify-email"),
          ProcessKeys.component("notify-chat"));
  private static final List<String> REGIONS = List.of("eu-west", "eu-central", "us-east", "us-west", "ap-south");

  private final IdentityService identity;
  private final AuthorizationService authorizations;
  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final DemoProperties properties;

  DemoData(IdentityService identity, AuthorizationService authorizations, JdbcClient jdbc, JdbcTemplate batch,
      DemoProperties properties) {
    this.identity = identity;
    this.authorizations = authorizations;
    this.jdbc = jdbc;
    this.batch = batch;
    this.properties = properties;
  }

  @Override
  public void afterPropertiesSet() {
    group(OPERATORS, "Operators");
    grant(OPERATORS, Resources.PROCESS_DEFINITION, Authorization.ANY,
        Permissions.CREATE_INSTANCE, Permissions.READ, Permissions.READ_HISTORY, Permissions.READ_INSTANCE);
    grant(OPERATORS, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE, Permissions.READ);
    grant(OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grant(OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    group(ANALYSTS, "Analysts");
    for (String key : ANALYST_PROCESSES) {
      grant(ANALYSTS, Resources.PROCESS_DEFINITION, key,
          Permissions.CREATE_INSTANCE, Permissions.READ, Permissions.READ_HISTORY, Permissions.READ_INSTANCE);
    }
    grant(ANALYSTS, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE);
    grant(ANALYSTS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    // analysts watch their reports in Cockpit; its Flowcast tab shows them their own decisions only
    grant(ANALYSTS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    user("alice", "Alice", "Operator", OPERATORS);
    user("bob", "Bob", "Analyst", ANALYSTS);
    seedOrders();
  }

  private void group(String id, String name) {
    if (identity.createGroupQuery().groupId(id).count() > 0) {
      return;
    }
    Group group = identity.newGroup(id);
    group.setName(name);
    group.setType("WORKFLOW");
    identity.saveGroup(group);

  }

  private void user(String id, String firstName, String lastName, String groupId) {
    if (identity.createUserQuery().userId(id).count() > 0) {
      return;
    }
    User user = identity.newUser(id);
    user.setFirstName(firstName);
    user.setLastName(lastName);
    user.setPassword(id);
    user.setEmail(id + "@flowcast.example");
    identity.saveUser(user);
    identity.createMembership(id, groupId);
  }

  /** Grants what is missing only: a demo database from an older version gets the newer grants and permissions. */
  private void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
    Authorization authorization = authorizations.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource)
        .resourceId(resourceId).list().stream().filter(a -> a.getAuthorizationType() == Authorization.AUTH_TYPE_GRANT)
        .findFirst().orElse(null);
    if (authorization == null) {
      authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
      authorization.setGroupId(groupId);
      authorization.setResource(resource);
      authorization.setResourceId(resourceId);
    } else if (Arrays.stream(permissions).allMatch(authorization::isPermissionGranted)) {
      return;
    }
    for (Permission permission : permissions) {
      authorization.addPermission(permission);
    }
    authorizations.saveAuthorization(authorization);
  }

  /** A deterministic order history (same seed, same rows), replicated once to the replica. */
  private void seedOrders() {
    long existing = jdbc.sql("select count(*) from demo_orders").query(Long.class).single();
    if (existing > 0 || properties.seedOrders() == 0) {
      return;
    }
    Random random = new Random(42);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<Object[]> rows = new ArrayList<>();
    for (int id = 1; id <= properties.seedOrders(); id++) {
      rows.add(new Object[] {
          (long) id,
          REGIONS.get(random.nextInt(REGIONS.size())),
          Math.round(random.nextDouble() * 50_000) / 100.0,
          Timestamp.from(start.plus(id * 7L, ChronoUnit.MINUTES))});
    }
    batch.batchUpdate("insert into demo_orders (id, region, amount, created_at) values (?, ?, ?, ?)", rows);
    jdbc.sql("insert into demo_orders_replica select * from demo_orders").update();
    log.info("FLOWCAST-090 demo database seeded with {} orders", rows.size());
  }

  /** How long a worker whose step found the replica taken waits before it asks again. */
  static final Duration REPLICA_TAKEN_RETRY = Duration.ofSeconds(1);

  /**
   * Takes, and holds until the step's work commits, the replica's lock row: restore and replication
   * of concurrent instances take turns instead of failing on each other's rows. A job waits for it;
   * a worker's step run is refused at once when another step holds it ({@link DemoStep.Turn}).
   */
  static void lockReplica(JdbcClient jdbc, DemoStep.Turn turn) {
    if (turn == DemoStep.Turn.WAIT) {
      jdbc.sql("select name from demo_lock where name = 'replica' for update").query(String.class).single();
      return;
    }
    try {
      jdbc.sql("select name from demo_lock where name = 'replica' for update nowait").query(String.class).single();
    } catch (DataAccessException e) {
      if (!taken(e)) {
        throw e;
      }
      throw new StepWork.StepBusyException("another step is rebuilding or replicating to the demo replica",
          REPLICA_TAKEN_RETRY);
    }
  }

  /**
   * Whether a {@code nowait} lock found the row taken: H2 answers with its lock time-out, PostgreSQL
   * with {@code lock_not_available} (55P03), which Spring's default translation leaves uncategorized.
   */
  private static boolean taken(DataAccessException e) {
    if (e instanceof PessimisticLockingFailureException || e instanceof QueryTimeoutException) {
      return true;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static final String LOCK_NOT_AVAILABLE = "55P03";
}
