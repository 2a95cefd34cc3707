package dev.flowcast.composer;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;

/**
 * What a user may start, from the engine's own authorizations: CREATE_INSTANCE on the process
 * definition key of the composed workflow and of every component it calls.
 */
final class AuthorizationFilter {

  private final AuthorizationService authorizations;
  private final IdentityService identity;

  AuthorizationFilter(AuthorizationService authorizations, IdentityService identity) {
    this.authorizations = authorizations;
    this.identity = identity;
  }

  /** The user's groups, looked up once per request. */
  List<String> groupsOf(String user) {
    return identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
  }

  /** The engine checks this too when the user starts an instance. */
  boolean mayCreateInstances(String user, List<String> groups) {
    return authorizations.isUserAuthorized(user, groups, Permissions.CREATE, Resources.PROCESS_INSTANCE);
  }

  boolean mayStart(String user, List<String> groups, String processKey) {
    return authorizations.isUserAuthorized(
        user, groups, Permissions.CREATE_INSTANCE, Resources.PROCESS_DEFINITION, processKey);
  }
}
