package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.resources.PriceCatalog;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The API as the Camunda webapp's login: a browser that logged in to Cockpit calls it with its
 * session cookie, reads as that user, and changes something only with the session's CSRF token.
 */
@FlowcastTest
@TestPropertySource(properties = "camunda.bpm.process-engine-name=" + WebappSessionApiTest.ENGINE)
class WebappSessionApiTest {

  /** The webapps find their engine by name in a registry all cached test contexts share: a name of its own. */
  static final String ENGINE = "webappSessionTest";

  @LocalServerPort int port;
  @Autowired ObjectMapper json;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;

  EngineFixture fixture;
  CookieManager cookies;
  HttpClient browser;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    cookies = new CookieManager();
    browser = HttpClient.newBuilder().cookieHandler(cookies).build();
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
  }

  @Test
  void shouldReadAsTheUserLoggedInToCockpitAndChangeNothingWithoutTheCsrfToken() throws Exception {
    fixture.compose("alice", "run-report");
    fixture.compose("demo", "run-report");
    logIn("alice");

    HttpResponse<String> read = send(get("/flowcast/api/decisions"));
    assertThat(read.statusCode()).isEqualTo(200);
    JsonNode decisions = json.readTree(read.body());
    assertThat(decisions).isNotEmpty();
    decisions.forEach(d -> assertThat(d.get("user").asText()).isEqualTo("alice"));

    HttpResponse<String> forged = send(post("/flowcast/api/requests", "{\"intent\": \"run-report\"}", null));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(json.readTree(forged.body()).get("message").asText()).contains("X-XSRF-TOKEN");

    HttpResponse<String> meant = send(post("/flowcast/api/requests", "{\"intent\": \"run-report\"}", csrfToken()));
    assertThat(meant.statusCode()).isEqualTo(201);
    assertThat(json.readTree(meant.body()).get("status").asText()).isEqualTo("STARTED");
  }

  @Test
  void shouldRefuseASessionWithoutALoginAndSpareABrowserClientThePasswordDialog() throws Exception {
    send(get("/camunda/app/cockpit/" + ENGINE + "/"));

    HttpResponse<String> answer = send(HttpRequest.newBuilder(url("/flowcast/api/decisions"))
        .header("X-Requested-With", "XMLHttpRequest").GET().build());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Session realm=\"flowcast\"");
    assertThat(json.readTree(answer.body()).get("message").asText()).contains("log in to Cockpit again");
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/flowcast/api/decisions")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"flowcast\"");
  }

  /** What Cockpit's login page does: fetch a CSRF token, then post the credentials with it. */
  private void logIn(String user) throws IOException, InterruptedException {
    send(get("/camunda/app/cockpit/" + ENGINE + "/"));
    HttpResponse<String> login = send(HttpRequest.newBuilder(url("/camunda/api/admin/auth/user/" + ENGINE + "/login/cockpit"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-XSRF-TOKEN", csrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + user)).build());
    assertThat(login.statusCode()).as("webapp login: %s", login.body()).isEqualTo(200);
    // the login starts a new session, with a token of its own
    send(get("/camunda/app/cockpit/" + ENGINE + "/"));
  }

  private String csrfToken() {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
        .map(HttpCookie::getValue).reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie in " + cookies.getCookieStore().getCookies()));
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(url(path)).GET().build();
  }

  private HttpRequest post(String path, String body, String csrfToken) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (csrfToken != null) {
      request.header("X-XSRF-TOKEN", csrfToken);
    }
    return request.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return browser.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
