package dev.flowcast.api;

import java.util.List;

/** The user a request was authenticated as, with the groups the engine knows for them. */
record ApiUser(String id, List<String> groups) {

  static final String ATTRIBUTE = "dev.flowcast.api.user";
  static final String ADMIN_GROUP = "camunda-admin";

  boolean isAdmin() {
    return groups.contains(ADMIN_GROUP);
  }

  void requireAdmin() {
    if (!isAdmin()) {
      throw new ForbiddenException("only members of " + ADMIN_GROUP + " may do this");
    }
  }
}
