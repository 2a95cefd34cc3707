package dev.flowcast.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PriceCatalog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * An elastic pool through the API: operators change how a pool grows (bad values refused field by
 * field, nothing changed), and everyone who may use the API reads the pools' sizes, the JSON KEDA's
 * metrics-api scaler reads.
 */
@FlowcastTest
class ElasticPoolsApiTest {

  static final String ELASTICITY = """
      {"unit": {"vcpu": 2, "memoryMb": 4096}, "minUnits": 1, "maxUnits": 6, "leadTime": "PT2M",
       "scaleInDelay": "PT10M", "refusalRate": 0.1}""";

  @Autowired TestRestTemplate rest;
  @Autowired PriceCatalog catalog;
  @Autowired ObjectMapper json;

  @AfterEach
  void theCatalogFileAgain() {
    catalog.reload();
  }

  @Test
  void shouldLetAnAdminChangeHowAPoolGrowsAndKeepItThroughAPriceChange() {
    ResponseEntity<String> changed = put("demo", "/flowcast/api/admin/pools/reserved/elasticity", ELASTICITY);
    ResponseEntity<String> repriced = put("demo", "/flowcast/api/admin/pools/reserved",
        "{\"vcpu\": 4, \"memoryMb\": 16384, \"networkMbps\": 5000, \"diskIops\": 10000,"
            + " \"pricePerVcpuHour\": 0.03, \"pricePerGbHour\": 0.003, \"interruptionRatePerHour\": 0}");
    catalog.refreshOverrides(); // as every node does at its next check: read back from the database

    assertThat(changed.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(repriced.getStatusCode()).isEqualTo(HttpStatus.OK);
    Elasticity reserved = catalog.pools().get("reserved").elasticity();
    assertThat(reserved).isNotNull();
    assertThat(reserved.minUnits()).isEqualTo(1);
    assertThat(reserved.maxUnits()).isEqualTo(6);
    assertThat(reserved.leadTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(reserved.scaleInDelay()).isEqualTo(Duration.ofMinutes(10));
    assertThat(reserved.billingMinimum()).as("defaulted").isEqualTo(Duration.ofSeconds(60));
    assertThat(reserved.refusalRate()).isEqualTo(0.1);
    assertThat(catalog.pools().get("reserved").pricePerVcpuHour()).isEqualTo(0.03);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "min above max|\"minUnits\": 1, \"maxUnits\": 6|\"minUnits\": 8, \"maxUnits\": 6|'maxUnits' (6) must be at least 'minUnits' (8)",
      "zero lead time|\"leadTime\": \"PT2M\"|\"leadTime\": \"PT0S\"|'leadTime' must be more than zero, not PT0S",
      "negative lead time|\"leadTime\": \"PT2M\"|\"leadTime\": \"-PT2M\"|'leadTime' must be more than zero, not -PT2M",
      "lead time not a duration|\"leadTime\": \"PT2M\"|\"leadTime\": \"soon\"|'leadTime' must be a duration such as PT90S, not 'soon'",
      "no maximum|, \"maxUnits\": 6|''|'maxUnits' is required",
      "refusal above one|\"refusalRate\": 0.1|\"refusalRate\": 1.5|'refusalRate' is a share between 0 and 1",
      "fractional units|\"maxUnits\": 6|\"maxUnits\": 6.5|'maxUnits' must be a whole number",
      "unknown field|\"minUnits\": 1|\"minUnits\": 1, \"warmUp\": \"PT1M\"|unknown field 'warmUp'"})
  void shouldRefuseABadElasticityNamingTheFieldAndChangeNothing(String what, String from, String to, String message)
      throws Exception {
    Elasticity before = catalog.pools().get("spot").elasticity();

    ResponseEntity<String> refused = put("demo", "/flowcast/api/admin/pools/spot/elasticity", ELASTICITY.replace(from, to));

    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.readTree(refused.getBody()).get("message").asText()).contains(message.strip());
    assertThat(catalog.pools().get("spot").elasticity()).isEqualTo(before);
  }

  @Test
  void shouldLetOnlyAdminsChangeElasticityOfPoolsThatExist() {
    assertThat(put("alice", "/flowcast/api/admin/pools/spot/elasticity", ELASTICITY).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(put("demo", "/flowcast/api/admin/pools/moon/elasticity", ELASTICITY).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void shouldGiveEachElasticPoolsSizesWhereKedasMetricsApiScalerFindsThem() throws Exception {
    ResponseEntity<String> anonymous = rest.getForEntity("/flowcast/api/capacity/pools", String.class);
    ResponseEntity<String> asAlice = rest.withBasicAuth("alice", "alice").getForEntity("/flowcast/api/capacity/pools", String.class);
    ResponseEntity<String> history = rest.withBasicAuth("alice", "alice")
        .getForEntity("/flowcast/api/capacity/history.svg?hours=2", String.class);
    ResponseEntity<String> badHours = rest.withBasicAuth("alice", "alice")
        .getForEntity("/flowcast/api/capacity/history.svg?hours=0", String.class);

    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    JsonNode answer = json.readTree(asAlice.getBody());
    assertThat(answer.get("provider").asText()).isEqualTo("fixed");
    assertThat(answer.get("acting").asBoolean()).isFalse();
    // valueLocation: pools.spot.desiredUnits; the shipped spot pool: 0 to 16 units of 2 vCPU, no plan yet
    assertThat(answer.at("/pools/spot/desiredUnits").asInt()).isZero();
    assertThat(answer.at("/pools/spot/maxUnits").asInt()).isEqualTo(16);
    assertThat(answer.at("/pools/spot/readyUnits").isNull()).as("the fixed provider sizes nothing").isFalse();
    assertThat(answer.at("/pools/on-demand/desiredUnits").asInt()).isEqualTo(1);
    assertThat(answer.get("pools").has("reserved")).as("a fixed pool").isFalse();
    assertThat(history.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(history.getBody()).startsWith("<svg").contains(">spot<").contains(">on-demand<");
    assertThat(badHours.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }

  private ResponseEntity<String> put(String user, String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return rest.withBasicAuth(user, user).exchange(path, HttpMethod.PUT, new HttpEntity<>(body, headers), String.class);
  }
}
