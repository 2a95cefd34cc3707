package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The soft edges found by trying the API as a new user and as an attacker would: every error is
 * the API's JSON in its own words, events cannot be dated anywhere, and health details are for
 * administrators.
 */
@FlowcastTest
class HardEdgesApiTest {

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;

  @ParameterizedTest
  @ValueSource(strings = {"/flowcast/api/%", "/flowcast/api/a%2fb", "/flowcast/api/%00", "/flowcast/api/decisions%"})
  void shouldAnswerPathsTheContainerRefusesWithTheApisJsonError(String path) throws Exception {
    // given a path Tomcat refuses before any servlet sees it (sent raw: HTTP clients refuse to send it)
    String answer = rawGet(path);

    // then the answer is the API's JSON error, not Tomcat's page
    assertThat(answer).startsWith("HTTP/1.1 400");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(answer).containsIgnoringCase("Content-Type: application/json");
    JsonNode error = json.readTree(body);
    assertThat(error.get("status").asInt()).isEqualTo(400);
    assertThat(error.get("message").asText()).contains("malformed");
    assertThat(body).doesNotContain("<html", "Tomcat", "Exception");
  }

  @Test
  void shouldAnswerARequestLineTooLongToReadWithTheApisJsonError() throws Exception {
    String answer = rawGet("/flowcast/api/decisions?processInstanceId=" + "a".repeat(9000));

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).containsIgnoringCase("Content-Type: application/json");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(json.readTree(body).get("message").asText()).contains("request line could not be read");
    assertThat(body).doesNotContain("<html", "Tomcat", "Exception");
  }

  @Test
  void shouldSayWhatAResourceAnswersWhenTheAcceptHeaderAsksForSomethingElse() throws Exception {
    HttpHeaders headers = new HttpHeaders();
    headers.setAccept(java.util.List.of(MediaType.APPLICATION_XML));

    ResponseEntity<String> answer = rest.withBasicAuth("alice", "alice")
        .exchange("/flowcast/api/decisions", HttpMethod.GET, new HttpEntity<>(headers), String.class);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_ACCEPTABLE);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).contains("answers application/json");
  }

  @Test
  void shouldTakeTheAuthenticationSchemeInAnyCase() {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.AUTHORIZATION, "basic " + java.util.Base64.getEncoder()
        .encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8)));

    ResponseEntity<String> answer = rest.exchange("/flowcast/api/intents", HttpMethod.GET, new HttpEntity<>(headers),
        String.class);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void shouldAnswerUnknownPathsAndMethodsWithTheApisJsonError() throws Exception {
    ResponseEntity<String> unknown = call("alice", HttpMethod.GET, "/flowcast/api/nothing-here", null);
    ResponseEntity<String> method = call("alice", HttpMethod.DELETE, "/flowcast/api/requests", null);

    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(json.readTree(unknown.getBody()).get("message").asText()).contains("/flowcast/api/nothing-here");
    assertThat(method.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    assertThat(json.readTree(method.getBody()).get("message").asText()).contains("not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"intent\": {\"a\": 1}}",
      "{\"intent\": [\"run-report\"]}",
      "{\"intent\": \"run-report\", \"parameters\": [1, 2]}",
      "{\"intent\": \"run-report\", \"parameters\": \"all\"}",
      "[\"run-report\"]",
      "{\"intent\": \"run-report\",}"})
  void shouldSayWhatIsWrongWithARequestInTheApisWordsNotJavas(String body) throws Exception {
    ResponseEntity<String> answer = call("alice", HttpMethod.POST, "/flowcast/api/requests", body);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    String message = json.readTree(answer.getBody()).get("message").asText();
    assertThat(message).startsWith("malformed request body: ")
        .doesNotContain("java.", "Cannot deserialize", "LinkedHashMap", "String`", "dev.flowcast");
  }

  @Test
  void shouldNameTheFieldAndTheKindItMustBe() throws Exception {
    ResponseEntity<String> answer = call("alice", HttpMethod.POST, "/flowcast/api/requests", "{\"intent\": {\"a\": 1}}");

    assertThat(json.readTree(answer.getBody()).get("message").asText()).contains("'intent' must be text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+99999-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2999-01-01T00:00:00Z"})
  void shouldRefuseActivityDatedBefore1970OrPastTheNextDayAndStoreNothing(String time) throws Exception {
    long before = activityRows();
    String event = "{\"time\": \"" + time + "\", \"user\": \"alice\", \"action\": \"run-report\"}";

    ResponseEntity<String> answer = call("alice", HttpMethod.POST, "/flowcast/api/activity", event);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(answer.getBody()).get("problems").get(0).get("reason").asText()).startsWith("'time' is ");
    assertThat(activityRows()).isEqualTo(before);
  }

  @Test
  void shouldRefuseAnImportedLogWithAnEventPastTheNextDayAndStoreNothing() throws Exception {
    long before = activityRows();
    String csv = "session,step,at\nc1,open,2026-01-01 10:00:00\nc1,close,2999-01-01 10:00:00\n";

    ResponseEntity<String> answer = call("demo", HttpMethod.POST,
        "/flowcast/api/activity/import?caseColumn=session&activityColumn=step&timeColumn=at", csv);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).startsWith("line 3: time '2999-01-01 10:00:00' is after");
    assertThat(activityRows()).isEqualTo(before);
  }

  @Test
  void shouldShowHealthDetailsToAdministratorsOnly() throws Exception {
    JsonNode anonymous = json.readTree(rest.getForObject("/actuator/health", String.class));
    JsonNode operator = json.readTree(call("alice", HttpMethod.GET, "/actuator/health", null).getBody());
    JsonNode admin = json.readTree(call("demo", HttpMethod.GET, "/actuator/health", null).getBody());
    // (an unknown user: a wrong password would make the engine throttle that user's next logins)
    ResponseEntity<String> wrongPassword = rest.withBasicAuth("nobody", "wrong").getForEntity("/actuator/health", String.class);

    assertThat(anonymous.get("status").asText()).isEqualTo("UP");
    assertThat(anonymous.has("components")).isFalse();
    assertThat(operator.has("components")).isFalse();
    assertThat(admin.get("components").get("db").get("details").get("database").asText()).isEqualTo("H2");
    assertThat(wrongPassword.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void shouldLetPrometheusScrapeWithoutCredentialsByDefault() {
    assertThat(rest.getForEntity("/actuator/prometheus", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @ParameterizedTest(name = "{0} {1} as {2}")
  @CsvSource({
      "POST, /flowcast/api/requests, text/plain, application/json",
      "POST, /flowcast/api/requests, application/x-www-form-urlencoded, application/json",
      "PUT, /flowcast/api/admin/pools/spot, text/plain, application/json",
      "POST, /flowcast/api/admin/pools/spot/interruption, text/plain, application/json",
      "POST, /flowcast/api/demo/faults, text/plain, application/json",
      "POST, /flowcast/api/activity, text/plain, application/x-ndjson",
      "POST, /flowcast/api/activity/import, text/plain, text/csv"})
  void shouldRefuseABodyOfATypeABrowserFormCanSendAndChangeNothing(String method, String path, String sent,
      String expected) throws Exception {
    // a form on another site can post text/plain or a form with the credentials a browser keeps
    long decisions = jdbc.sql("select count(*) from flowcast_decision").query(Long.class).single();
    long activity = activityRows();
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.valueOf(sent));
    String body = path.endsWith("import") ? "CaseID,ActivityID,CompleteTimestamp\nc1,open,2026-01-01 10:00:00"
        : path.endsWith("activity") ? "[{\"time\": \"2026-11-24T10:00:00Z\", \"user\": \"demo\", \"action\": \"run-report\"}]"
        : "{\"intent\": \"run-report\", \"seconds\": 60}";

    ResponseEntity<String> answer = rest.withBasicAuth("demo", "demo")
        .exchange(path, HttpMethod.valueOf(method), new HttpEntity<>(body, headers), String.class);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(json.readTree(answer.getBody()).get("message").asText())
        .startsWith("send the body with Content-Type ").contains(expected).contains("not " + sent);
    assertThat(jdbc.sql("select count(*) from flowcast_decision").query(Long.class).single()).isEqualTo(decisions);
    assertThat(activityRows()).isEqualTo(activity);
    assertThat(jdbc.sql("select count(*) from flowcast_interruption").query(Long.class).single()).isZero();
  }

  @Test
  void shouldKeepTheStandingInterruptionNoticeWhenANewOneIsRefused() throws Exception {
    // given a notice in force for the reserved pool
    ResponseEntity<String> raised = call("demo", HttpMethod.POST, "/flowcast/api/admin/pools/reserved/interruption",
        "{\"seconds\": 600, \"reason\": \"maintenance of the rack\"}");
    assertThat(raised.getStatusCode()).isEqualTo(HttpStatus.OK);

    // when a new notice for it is refused (its reason does not fit)
    ResponseEntity<String> refused = call("demo", HttpMethod.POST, "/flowcast/api/admin/pools/reserved/interruption",
        "{\"seconds\": 60, \"reason\": \"" + "x".repeat(2001) + "\"}");

    // then the first notice still stands, as it was
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(refused.getBody()).get("message").asText()).contains("reason is longer than 2000");
    JsonNode standing = json.readTree(call("demo", HttpMethod.GET, "/flowcast/api/admin/interruptions", null).getBody());
    assertThat(standing.path("reserved").path("reason").asText()).isEqualTo("maintenance of the rack");
    call("demo", HttpMethod.DELETE, "/flowcast/api/admin/pools/reserved/interruption", null);
  }

  @Test
  void shouldReplaceAStandingInterruptionNoticeWithANewOne() throws Exception {
    call("demo", HttpMethod.POST, "/flowcast/api/admin/pools/reserved/interruption", "{\"seconds\": 600, \"reason\": \"first\"}");

    ResponseEntity<String> second = call("demo", HttpMethod.POST, "/flowcast/api/admin/pools/reserved/interruption",
        "{\"seconds\": 60, \"reason\": \"second\"}");

    assertThat(second.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(jdbc.sql("select reason from flowcast_interruption where pool = 'reserved'").query(String.class).list())
        .containsExactly("second");
    call("demo", HttpMethod.DELETE, "/flowcast/api/admin/pools/reserved/interruption", null);
  }

  private long activityRows() {
    return jdbc.sql("select count(*) from flowcast_activity").query(Long.class).single();
  }

  private ResponseEntity<String> call(String user, HttpMethod method, String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(path.contains("import") ? MediaType.valueOf("text/csv") : MediaType.APPLICATION_JSON);
    return rest.withBasicAuth(user, user).exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }

  private String rawGet(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String auth = java.util.Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8));
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
