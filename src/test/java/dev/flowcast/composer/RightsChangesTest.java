package dev.flowcast.composer;

import static dev.flowcast.composer.RightsFixture.RUN_REPORT_KEYS;
import static dev.flowcast.composer.RightsFixture.componentsIn;
import static dev.flowcast.composer.RightsFixture.firstComponent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.ProcessKeys;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The composer keeps the engine's answers about rights across requests (for ten seconds by
 * default); a change of rights made through this node's engine is honoured by the very next
 * composition all the same, however long the answers had left to live.
 */
@FlowcastTest
@TestPropertySource(properties = "camunda.bpm.process-engine-name=" + RightsChangesTest.ENGINE)
class RightsChangesTest extends RightsScenario {

  /**
   * {@code /engine-rest} finds its engine by name in a registry all cached test contexts share: with
   * the default name, it could run the command on another context's engine, whose cache is not this one.
   */
  static final String ENGINE = "rightsChangesTest";

  @Autowired TestRestTemplate rest;

  /**
   * The application's cache on a clock that never moves: an answer is forgotten only when this
   * node's engine changes rights, never because it has lived its time, so every test below shows
   * the invalidation at work whatever the machine's speed.
   */
  @TestBean(methodName = "answersKeptUntilForgotten")
  AuthorizationCache answers;

  static AuthorizationCache answersKeptUntilForgotten() {
    return new AuthorizationCache(Duration.ofSeconds(10), () -> 0L);
  }

  @Test
  void shouldKeepTheEnginesAnswersForTheNextComposition() {
    rights.givenUserWhoMayStart("changesIvy", RUN_REPORT_KEYS);
    String bound = firstComponent(fixture.compose("changesIvy", "run-report"));

    // revoked in the database behind the engine's back: nothing tells this node
    rights.revokeInTheDatabase("changesIvy", ProcessKeys.component(bound));
    CompositionResult next = fixture.compose("changesIvy", "run-report");

    assertThat(next.status()).isEqualTo(Status.STARTED);
    assertThat(componentsIn(next)).as("bound on the answer kept from the first composition").contains(bound);
  }

  @Test
  void shouldNotBindAComponentTheVeryNextCompositionAfterTheRightToStartItIsRevoked() {
    rights.givenUserWhoMayStart("changesErin", RUN_REPORT_KEYS);
    String bound = firstComponent(fixture.compose("changesErin", "run-report"));

    rights.revoke("changesErin", ProcessKeys.component(bound));
    CompositionResult next = fixture.compose("changesErin", "run-report");

    assertThat(next.status()).isEqualTo(Status.STARTED);
    assertThat(componentsIn(next)).doesNotContain(bound);
  }

  @Test
  void shouldBindAComponentTheVeryNextCompositionAfterTheRightToStartItIsGranted() {
    List<String> withoutSpot = RUN_REPORT_KEYS.stream()
        .filter(key -> !key.equals(ProcessKeys.component("provision-spot"))).toList();
    rights.givenUserWhoMayStart("changesJon", withoutSpot);
    assertThat(componentsIn(fixture.compose("changesJon", "run-report"))).doesNotContain("provision-spot");

    rights.grant("changesJon", Resources.PROCESS_DEFINITION, ProcessKeys.component("provision-spot"),
        Permissions.CREATE_INSTANCE);

    assertThat(componentsIn(fixture.compose("changesJon", "run-report"))).contains("provision-spot");
  }

  @Test
  void shouldRefuseTheVeryNextCompositionAfterTheUserLeavesTheGroupThatGaveTheRight() {
    rights.givenUser("changesFrank");
    identity.createMembership("changesFrank", "analysts");
    assertThat(fixture.compose("changesFrank", "run-report").status()).isEqualTo(Status.STARTED);

    identity.deleteMembership("changesFrank", "analysts");

    assertThatThrownBy(() -> fixture.compose("changesFrank", "run-report"))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("CREATE_INSTANCE on process definition 'flowcast-run-report'");
  }

  @Test
  void shouldRefuseTheVeryNextCompositionAfterAnAdministratorRemovesTheUserFromTheGroupOverEngineRest() {
    rights.givenUser("changesHank");
    identity.createMembership("changesHank", "analysts");
    assertThat(fixture.compose("changesHank", "run-report").status()).isEqualTo(Status.STARTED);

    ResponseEntity<String> removed = rest.withBasicAuth("demo", "demo")
        .exchange("/engine-rest/engine/" + ENGINE + "/group/analysts/members/changesHank", HttpMethod.DELETE, null, String.class);
    assertThat(removed.getStatusCode()).as(removed.getBody()).isEqualTo(HttpStatus.NO_CONTENT);

    assertThatThrownBy(() -> fixture.compose("changesHank", "run-report"))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("CREATE_INSTANCE on process definition 'flowcast-run-report'");
  }
}
