package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.impl.cmd.AuthorizationCheckCmd;
import org.camunda.bpm.engine.impl.cmd.CreateGroupQueryCmd;
import org.camunda.bpm.engine.impl.cmd.GetUserInfoCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.junit.jupiter.api.Test;

/**
 * Which of the engine's commands tell the composer that rights changed: read from the engine's
 * own classes, so that an engine upgrade adding a write of authorizations, users, groups, tenants
 * or memberships that the interceptor would miss fails here.
 */
class RightsChangeInterceptorTest {

  /** The engine's names for writes of rights and identities (7.24: Save/Delete/Create...Cmd). */
  static final Pattern WRITES_RIGHTS = Pattern.compile("(Save|Delete|Create|Update|Set)"
      + "(Authorization|User|Group|Tenant|Membership|TenantUserMembership|TenantGroupMembership)Cmd");

  @Test
  void shouldHearOfEveryCommandThatWritesAuthorizationsUsersGroupsTenantsOrMemberships() {
    List<Class<?>> writes = engineCommands().stream()
        .filter(c -> WRITES_RIGHTS.matcher(c.getSimpleName()).matches())
        .toList();

    assertThat(writes).extracting(Class::getSimpleName).contains(
        "SaveAuthorizationCmd", "DeleteAuthorizationCmd", "SaveUserCmd", "DeleteUserCmd", "SaveGroupCmd",
        "DeleteGroupCmd", "CreateMembershipCmd", "DeleteMembershipCmd", "SaveTenantCmd", "DeleteTenantCmd",
        "CreateTenantUserMembershipCmd", "DeleteTenantUserMembershipCmd", "CreateTenantGroupMembershipCmd",
        "DeleteTenantGroupMembershipCmd");
    assertThat(writes).allMatch(RightsChangeInterceptor::changesRights);
  }

  @Test
  void shouldLetReadsAndEverythingElsePassUnheard() {
    assertThat(List.of(AuthorizationCheckCmd.class, CreateGroupQueryCmd.class, GetUserInfoCmd.class,
        StartProcessInstanceCmd.class)).noneMatch(RightsChangeInterceptor::changesRights);
  }

  private static List<Class<?>> engineCommands() {
    return new ClassFileImporter().importPackages("org.camunda.bpm.engine.impl.cmd").stream()
        .filter(c -> c.isAssignableTo(Command.class))
        .filter(c -> !c.getModifiers().contains(JavaModifier.ABSTRACT))
        .filter(c -> !c.isNestedClass())
        .map(JavaClass::reflect)
        .<Class<?>>map(c -> c)
        .toList();
  }
}
