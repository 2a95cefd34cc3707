package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint of {@code /flowcast/api}, read from the application's own handler mappings (so a
 * new endpoint cannot be forgotten), called by every kind of caller: the answer is 401 without
 * valid credentials, 403 for a role that may not, and neither for a role that may. The roles are
 * the README's API table.
 */
@FlowcastTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:every-door;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
class EveryDoorTest {

  enum Role { USER, ADMIN }

  /** method and path of every endpoint, with who may use it; path variables filled in. */
  static final Map<String, Role> DOORS = Map.ofEntries(
      Map.entry("POST /flowcast/api/requests", Role.USER),
      Map.entry("GET /flowcast/api/decisions", Role.USER),
      Map.entry("GET /flowcast/api/decisions/timeline.svg", Role.USER),
      Map.entry("GET /flowcast/api/decisions/shadow-report", Role.USER),
      Map.entry("GET /flowcast/api/definitions/summary", Role.USER),
      Map.entry("GET /flowcast/api/overview", Role.USER),
      Map.entry("GET /flowcast/api/components", Role.USER),
      Map.entry("GET /flowcast/api/intents", Role.USER),
      Map.entry("GET /flowcast/api/resources/profile", Role.USER),
      Map.entry("POST /flowcast/api/activity", Role.USER),
      Map.entry("GET /flowcast/api/predictions", Role.USER),
      Map.entry("GET /flowcast/api/models/intent", Role.USER),
      Map.entry("GET /flowcast/api/models/demand", Role.USER),
      Map.entry("POST /flowcast/api/admin/models/demand/train", Role.ADMIN),
      Map.entry("POST /flowcast/api/activity/import", Role.ADMIN),
      Map.entry("POST /flowcast/api/models/intent/train", Role.ADMIN),
      Map.entry("GET /flowcast/api/capacity/pools", Role.USER),
      Map.entry("GET /flowcast/api/capacity/history.svg", Role.USER),
      Map.entry("GET /flowcast/api/admin/pools", Role.ADMIN),
      Map.entry("PUT /flowcast/api/admin/pools/{name}/elasticity", Role.ADMIN),
      Map.entry("PUT /flowcast/api/admin/pools/{name}", Role.ADMIN),
      Map.entry("POST /flowcast/api/admin/pools/{name}/interruption", Role.ADMIN),
      Map.entry("DELETE /flowcast/api/admin/pools/{name}/interruption", Role.ADMIN),
      Map.entry("GET /flowcast/api/admin/interruptions", Role.ADMIN),
      Map.entry("POST /flowcast/api/admin/queue/retry", Role.ADMIN),
      Map.entry("GET /flowcast/api/demo/faults", Role.ADMIN),
      Map.entry("POST /flowcast/api/demo/faults", Role.ADMIN),
      Map.entry("DELETE /flowcast/api/demo/faults/{component}", Role.ADMIN),
      Map.entry("GET /flowcast/api/workers", Role.ADMIN),
      Map.entry("POST /flowcast/api/workers", Role.ADMIN),
      Map.entry("PUT /flowcast/api/workers/{id}/heartbeat", Role.ADMIN),
      Map.entry("DELETE /flowcast/api/workers/{id}", Role.ADMIN),
      Map.entry("POST /flowcast/api/workers/{id}/runs/{taskId}", Role.ADMIN));

  private static final Map<String, String> PATH_VARIABLES = Map.of("{name}", "spot", "{component}", "render-report",
      "{id}", "no-such-worker", "{taskId}", "no-such-task");
  private static final String WRONG_PASSWORD_USER = "doortester";

  @Autowired TestRestTemplate rest;
  @Autowired IdentityService identity;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

  @BeforeEach
  void aUserWhoseWrongPasswordThrottlesNobodyElse() {
    if (identity.createUserQuery().userId(WRONG_PASSWORD_USER).count() == 0) {
      User user = identity.newUser(WRONG_PASSWORD_USER);
      user.setPassword("right");
      identity.saveUser(user);
    }
  }

  @Test
  void shouldKnowTheRoleOfEveryEndpointTheApplicationServes() {
    Set<String> served = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        if (pattern.startsWith(ApiConfiguration.API_PATH)) {
          info.getMethodsCondition().getMethods().forEach(method -> served.add(method + " " + pattern));
        }
      }
    }

    assertThat(served).as("every endpoint has its role in DOORS and in the README's API table")
        .containsExactlyInAnyOrderElementsOf(DOORS.keySet());
  }

  @Test
  void shouldLetInOnlyTheRolesThatMay() {
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Role> door : DOORS.entrySet()) {
      String[] methodAndPath = door.getKey().split(" ", 2);
      HttpMethod method = HttpMethod.valueOf(methodAndPath[0]);
      String path = methodAndPath[1];
      for (Map.Entry<String, String> variable : PATH_VARIABLES.entrySet()) {
        path = path.replace(variable.getKey(), variable.getValue());
      }
      for (Caller caller : Caller.values()) {
        int status = call(caller, method, path);
        int expected = caller.expectedFor(door.getValue());
        if (expected == 0) {
          softly.assertThat(status).as(caller + " " + door.getKey()).isNotIn(401, 403).isLessThan(500);
        } else {
          softly.assertThat(status).as(caller + " " + door.getKey()).isEqualTo(expected);
        }
      }
    }
    softly.assertAll();
  }

  /** Who knocks: 0 means "let in" (any answer but 401, 403 or a server error). */
  enum Caller {
    ANONYMOUS(null, null), WRONG_PASSWORD(WRONG_PASSWORD_USER, "wrong"), ANALYST("bob", "bob"),
    OPERATOR("alice", "alice"), ADMIN("demo", "demo");

    final String user;
    final String password;

    Caller(String user, String password) {
      this.user = user;
      this.password = password;
    }

    int expectedFor(Role role) {
      return switch (this) {
        case ANONYMOUS, WRONG_PASSWORD -> 401;
        case ANALYST, OPERATOR -> role == Role.ADMIN ? 403 : 0;
        case ADMIN -> 0;
      };
    }
  }

  private int call(Caller caller, HttpMethod method, String path) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    TestRestTemplate client = caller.user == null ? rest : rest.withBasicAuth(caller.user, caller.password);
    // an empty body: the doors are checked before the body is read
    return client.exchange(path, method, new HttpEntity<>("", headers), String.class).getStatusCode().value();
  }
}
