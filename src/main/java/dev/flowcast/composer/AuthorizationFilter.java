package dev.flowcast.composer;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;

/**
 * What a user may start, from the engine's own authorizations: CREATE_INSTANCE on the process
 * definition key of the composed workflow and of every component it calls. The answers are kept
 * across requests in an {@link AuthorizationCache}, which forgets them when rights change.
 */
final class AuthorizationFilter {

  private final AuthorizationService authorizations;
  private final IdentityService identity;
  private final AuthorizationCache cache;

  AuthorizationFilter(AuthorizationService authorizations, IdentityService identity, AuthorizationCache cache) {
    this.authorizations = authorizations;
    this.identity = identity;
    this.cache = cache;
  }

  /** The user's groups. */
  List<String> groupsOf(String user) {
    return cache.answer(new GroupsOf(user),
        () -> identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList());
  }

  /** The engine checks this too when the user starts an instance. */
  boolean mayCreateInstances(String user, List<String> groups) {
    return isAuthorized(user, groups, Permissions.CREATE, Resources.PROCESS_INSTANCE, null);
  }

  boolean mayStart(String user, List<String> groups, String processKey) {
    return isAuthorized(user, groups, Permissions.CREATE_INSTANCE, Resources.PROCESS_DEFINITION, processKey);
  }

  private boolean isAuthorized(
      String user, List<String> groups, Permission permission, Resource resource, String resourceId) {
    return cache.answer(new Right(user, groups, permission.getName(), resource.resourceType(), resourceId),
        () -> resourceId == null
            ? authorizations.isUserAuthorized(user, groups, permission, resource)
            : authorizations.isUserAuthorized(user, groups, permission, resource, resourceId));
  }

  private record GroupsOf(String user) {}

  /** One question to the engine; the groups are part of it, as the engine answers for them. */
  private record Right(String user, List<String> groups, String permission, int resourceType, String resourceId) {}
}
