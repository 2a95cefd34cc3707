package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.BadInputCorpus;
import dev.flowcast.FlowcastTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Every door of the API against the bad-input corpus ({@code src/test/resources/bad/http/}): each
 * case is refused with its status and a JSON error in the API's words (no Java type names, no
 * stack trace), changes no row in any table (Flowcast's and the engine's), and leaves the
 * application healthy.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:bad-input-corpus;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "flowcast.api.max-body-size=64KB"})
class BadInputCorpusTest {

  /** Written on a schedule whatever the requests do: the measured samples. */
  private static final Set<String> WRITTEN_IN_THE_BACKGROUND = Set.of("FLOWCAST_RESOURCE_SAMPLE", "ACT_RU_METER_LOG");

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;

  static Stream<Arguments> requests() {
    return BadInputCorpus.rows("http/requests.tsv", 3).stream();
  }

  static Stream<Arguments> activity() {
    return BadInputCorpus.rows("http/activity.tsv", 3).stream();
  }

  static Stream<Arguments> imports() {
    return BadInputCorpus.rows("http/import.tsv", 3).stream();
  }

  static Stream<Arguments> pools() {
    return BadInputCorpus.rows("http/pools.tsv", 3).stream();
  }

  static Stream<Arguments> interruptions() {
    return BadInputCorpus.rows("http/interruptions.tsv", 3).stream();
  }

  static Stream<Arguments> faults() {
    return BadInputCorpus.rows("http/faults.tsv", 3).stream();
  }

  static Stream<Arguments> queries() {
    return BadInputCorpus.rows("http/queries.tsv", 3).stream();
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("requests")
  void shouldRefuseABadRequest(String status, String fragment, String body) throws Exception {
    assertRefused(status, fragment, () -> send("alice", HttpMethod.POST, "/flowcast/api/requests", body,
        MediaType.APPLICATION_JSON));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("activity")
  void shouldRefuseBadActivity(String status, String fragment, String body) throws Exception {
    MediaType type = body.contains("\n") ? MediaType.valueOf("application/x-ndjson") : MediaType.APPLICATION_JSON;
    assertRefused(status, fragment, () -> send("demo", HttpMethod.POST, "/flowcast/api/activity", body, type));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("imports")
  void shouldRefuseABadEventLog(String status, String fragment, String body) throws Exception {
    assertRefused(status, fragment, () -> send("demo", HttpMethod.POST,
        "/flowcast/api/activity/import?caseColumn=session&activityColumn=step&timeColumn=at", body, MediaType.valueOf("text/csv")));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("pools")
  void shouldRefuseABadPoolOverride(String status, String fragment, String body) throws Exception {
    assertRefused(status, fragment, () -> send("demo", HttpMethod.PUT, "/flowcast/api/admin/pools/spot", body,
        MediaType.APPLICATION_JSON));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("interruptions")
  void shouldRefuseABadInterruptionNotice(String status, String fragment, String body) throws Exception {
    assertRefused(status, fragment, () -> send("demo", HttpMethod.POST, "/flowcast/api/admin/pools/spot/interruption",
        body, MediaType.APPLICATION_JSON));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("faults")
  void shouldRefuseABadFaultInjection(String status, String fragment, String body) throws Exception {
    assertRefused(status, fragment, () -> send("demo", HttpMethod.POST, "/flowcast/api/demo/faults", body,
        MediaType.APPLICATION_JSON));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("queries")
  void shouldRefuseBadQueryParameters(String status, String fragment, String pathAndQuery) throws Exception {
    assertRefused(status, fragment, () -> send("demo", HttpMethod.GET, pathAndQuery, null, MediaType.APPLICATION_JSON));
  }

  @Test
  void shouldRefuseABodyLargerThanTheLimitBeforeReadingIt() throws Exception {
    String huge = "[" + "{\"time\": \"2026-11-24T10:00:00Z\", \"user\": \"alice\", \"action\": \"run-report\"},".repeat(2000)
        + "{\"time\": \"2026-11-24T10:00:00Z\", \"user\": \"alice\", \"action\": \"run-report\"}]";
    assertRefused("413", "larger than 65536 bytes", () -> send("demo", HttpMethod.POST, "/flowcast/api/activity", huge,
        MediaType.APPLICATION_JSON));
  }

  /**
   * Not a test of the application, kept as a guard on the corpus itself: the cases above come from
   * method sources that read files, and one that finds fewer files (moved, renamed, a broken
   * pattern) silently runs fewer cases, all of them green. This fails when the corpus shrinks.
   */
  @Test
  void shouldHoldMoreThanAHundredCases() {
    long cases = Stream.of(requests(), activity(), imports(), pools(), interruptions(), faults(), queries())
        .mapToLong(Stream::count).sum();
    assertThat(cases).isGreaterThanOrEqualTo(100);
  }

  private void assertRefused(String status, String fragment, java.util.function.Supplier<ResponseEntity<String>> call)
      throws Exception {
    Map<String, Long> before = rowsPerTable();

    ResponseEntity<String> answer = call.get();

    assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(Integer.parseInt(status));
    JsonNode error = json.readTree(answer.getBody());
    String said = error.get("message").asText() + (error.has("problems") ? " " + error.get("problems") : "");
    assertThat(said).contains(fragment)
        .doesNotContain("java.", "Exception", "\tat ", "dev.flowcast", "Cannot deserialize", "`");
    assertThat(rowsPerTable()).as("no row changed").isEqualTo(before);
    assertThat(rest.getForObject("/actuator/health", String.class)).contains("\"UP\"");
  }

  private ResponseEntity<String> send(String user, HttpMethod method, String path, String body, MediaType type) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(type);
    return rest.withBasicAuth(user, user).exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }

  private Map<String, Long> rowsPerTable() {
    List<String> tables = jdbc.sql("select table_name from information_schema.tables"
            + " where table_schema = 'PUBLIC' and table_type = 'BASE TABLE' order by table_name")
        .query(String.class).list();
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String table : tables) {
      if (!WRITTEN_IN_THE_BACKGROUND.contains(table)) {
        rows.put(table, jdbc.sql("select count(*) from \"" + table + "\"").query(Long.class).single());
      }
    }
    return rows;
  }
}
