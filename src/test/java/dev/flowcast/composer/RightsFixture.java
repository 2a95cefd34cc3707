package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Users with the rights a test gives them, and those rights taken away: by the engine, or behind its back. */
final class RightsFixture {

  /** What run-report and every component it can bind need. */
  static final List<String> RUN_REPORT_KEYS = List.of(
      ProcessKeys.composed("run-report"),
      ProcessKeys.component("provision-spot"),
      ProcessKeys.component("provision-on-demand"),
      ProcessKeys.component("query-primary"),
      ProcessKeys.component("query-replica"),
      ProcessKeys.component("render-report"),
      ProcessKeys.component("render-report-lite"),
      ProcessKeys.component("notify-email"),
      ProcessKeys.component("notify-chat"));

  private final IdentityService identity;
  private final AuthorizationService authorizations;
  private final JdbcClient jdbc;

  RightsFixture(IdentityService identity, AuthorizationService authorizations, JdbcClient jdbc) {
    this.identity = identity;
    this.authorizations = authorizations;
    this.jdbc = jdbc;
  }

  /** A new user, with no group, who may create instances and start the given process keys. */
  void givenUserWhoMayStart(String user, List<String> processKeys) {
    givenUser(user);
    grant(user, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE);
    processKeys.forEach(key -> grant(user, Resources.PROCESS_DEFINITION, key, Permissions.CREATE_INSTANCE));
  }

  void givenUser(String user) {
    User created = identity.newUser(user);
    created.setPassword(user);
    identity.saveUser(created);
  }

  void grant(String user, Resources resource, String id, Permissions permission) {
    Authorization authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    authorization.setUserId(user);
    authorization.setResource(resource);
    authorization.setResourceId(id);
    authorization.addPermission(permission);
    authorizations.saveAuthorization(authorization);
  }

  /** Through the engine's API, as the webapp's Admin or {@code /engine-rest} would. */
  void revoke(String user, String processKey) {
    authorizations.createAuthorizationQuery().userIdIn(user).resourceType(Resources.PROCESS_DEFINITION)
        .resourceId(processKey).list()
        .forEach(a -> authorizations.deleteAuthorization(a.getId()));
  }

  /** Straight in the database, as another node of the cluster would: this node's engine runs no command. */
  void revokeInTheDatabase(String user, String processKey) {
    int deleted = jdbc
        .sql("delete from ACT_RU_AUTHORIZATION where USER_ID_ = ? and RESOURCE_TYPE_ = ? and RESOURCE_ID_ = ?")
        .params(user, Resources.PROCESS_DEFINITION.resourceType(), processKey)
        .update();
    if (deleted != 1) {
      throw new IllegalStateException(deleted + " authorizations of " + user + " on " + processKey + " deleted");
    }
  }

  /** The component bound to the first step of the chosen workflow. */
  static String firstComponent(CompositionResult result) {
    return result.chosen().workflow().tasks().get(0).component().name();
  }

  /** Every component the composition bound, in its choice and in the alternatives it shows. */
  static List<String> componentsIn(CompositionResult result) {
    return Stream.concat(Stream.of(result.chosen()), result.alternatives().stream())
        .flatMap(s -> s.workflow().tasks().stream())
        .map(t -> t.component().name())
        .distinct()
        .toList();
  }
}
