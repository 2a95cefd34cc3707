package com.example.helpdesk;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The help desk's users: {@code agent} (group {@code agents}) may start the help desk's processes,
 * Flowcast's compositions among them, and open Cockpit.
 */
@Component
public class HelpDeskUsers implements InitializingBean {

  static final String AGENTS = "agents";

  private final IdentityService identity;
  private final AuthorizationService authorizations;

  public HelpDeskUsers(IdentityService identity, AuthorizationService authorizations) {
    this.identity = identity;
    this.authorizations = authorizations;
  }

  @Override
  public void afterPropertiesSet() {
    if (identity.createGroupQuery().groupId(AGENTS).count() > 0) {
      return;
    }
    Group agents = identity.newGroup(AGENTS);
    agents.setName("Help desk agents");
    identity.saveGroup(agents);
    User agent = identity.newUser("agent");
    agent.setPassword("agent");
    agent.setFirstName("Help desk");
    agent.setLastName("Agent");
    identity.saveUser(agent);
    identity.createMembership("agent", AGENTS);
    grant(Resources.PROCESS_DEFINITION, Authorization.ANY,
        Permissions.CREATE_INSTANCE, Permissions.READ, Permissions.READ_HISTORY, Permissions.READ_INSTANCE);
    grant(Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE, Permissions.READ);
    grant(Resources.APPLICATION, "cockpit", Permissions.ACCESS);
  }

  private void grant(Resource resource, String resourceId, Permission... permissions) {
    Authorization authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    authorization.setGroupId(AGENTS);
    authorization.setResource(resource);
    authorization.setResourceId(resourceId);
    for (Permission permission : permissions) {
      authorization.addPermission(permission);
    }
    authorizations.saveAuthorization(authorization);
  }
}
