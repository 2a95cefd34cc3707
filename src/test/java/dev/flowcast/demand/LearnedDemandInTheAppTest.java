package dev.flowcast.demand;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import dev.flowcast.prediction.ModelRegistry;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.Projection;
import dev.flowcast.resources.ResourceHistory;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceSample;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The demand model in the running application: trained from the node's own measured history
 * through the API, stored in the registry, projecting use in the profile and on
 * {@code /actuator/prometheus}; loaded again from the registry without training; never projecting
 * more than the machine has; the trend, named with the reason, while there is no usable model.
 */
@FlowcastTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:learned-demand;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LearnedDemandInTheAppTest {

  @Autowired TestRestTemplate rest;
  @Autowired JdbcClient jdbc;
  @Autowired ObjectMapper json;
  @Autowired ModelRegistry registry;
  @Autowired ResourceHistory history;
  @Autowired DemandForecaster forecaster;
  @Autowired Clock clock;

  /** The machine the history is made up from: far bigger than the one the tests run on. */
  static final double TRAINED_CORES = 64;

  @Test
  @Order(1)
  void shouldRefuseToTrainOnTooLittleHistoryAndProjectWithTheTrendMeanwhile() throws Exception {
    ResponseEntity<String> answer = rest.withBasicAuth("demo", "demo")
        .postForEntity("/flowcast/api/admin/models/demand/train", null, String.class);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(json.readTree(answer.getBody()).get("message").asText()).contains("at least 288");
    assertThat(forecasterInTheProfile()).startsWith("trend (no demand model yet");
  }

  @Test
  @Order(2)
  void shouldTrainFromTheMeasuredHistoryAndProjectWithTheModel() throws Exception {
    measuredDays(2, TRAINED_CORES);

    ResponseEntity<String> answer = train();

    assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(HttpStatus.CREATED);
    assertThat(json.readTree(answer.getBody()).get("kind").asText()).isEqualTo("demand");
    assertThat(forecasterInTheProfile()).isEqualTo("xgboost v1");
    String scrape = rest.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("flowcast_demand_forecast{horizon=\"5m\",kind=\"cpu\",quantile=\"0.5\",unit=\"vCPU\"}",
        "flowcast_demand_forecast{horizon=\"15m\",kind=\"cpu\",quantile=\"0.9\",unit=\"vCPU\"}");
  }

  @Test
  @Order(3)
  void shouldProjectTheSameAfterARestartWithoutTrainingAgain() {
    givenTheModelTrainedFromTheMeasuredHistory();
    List<ResourceSample> recent = history.since(ResourceHistory.Resolution.RAW, clock.instant().minusSeconds(300));
    int versions = registry.list(DemandTrainer.KIND, 10).size();
    LearnedDemandForecaster restarted = new LearnedDemandForecaster(DemandForecaster.trend(1.645), registry, history, clock);

    restarted.reload();

    assertThat(restarted.name()).isEqualTo("xgboost v1");
    assertThat(registry.list(DemandTrainer.KIND, 10)).hasSize(versions);
    for (Duration horizon : List.of(Duration.ofMinutes(5), Duration.ofMinutes(15))) {
      assertThat(restarted.projectUse(ResourceKind.CPU, recent, horizon))
          .isEqualTo(forecaster.projectUse(ResourceKind.CPU, recent, horizon));
    }
  }

  @Test
  @Order(4)
  void shouldNeverProjectMoreThanThisMachinesCapacityWhateverTheModelWasTrainedOn() {
    // the model learned a machine of 64 cores running 40 to 56 of them; this one is smaller
    givenTheModelTrainedFromTheMeasuredHistory();
    List<ResourceSample> recent = history.since(ResourceHistory.Resolution.RAW, clock.instant().minusSeconds(300));
    double capacity = recent.get(recent.size() - 1).capacity(ResourceKind.CPU);
    assertThat(capacity).as("this machine's cores").isLessThan(TRAINED_CORES);

    for (Duration horizon : List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15))) {
      Projection use = forecaster.projectUse(ResourceKind.CPU, recent, horizon);
      assertThat(use.expected()).isBetween(0.0, capacity);
      assertThat(use.upper()).isBetween(use.expected(), capacity);
    }
  }

  @Test
  @Order(5)
  void shouldFallBackToTheTrendAndSaySoWhenTheNewestModelIsCorrupt() throws Exception {
    givenTheModelTrainedFromTheMeasuredHistory();
    registry.save(DemandTrainer.KIND, null, null, 1, Map.of(), "not a model".getBytes());
    LearnedDemandForecaster fresh = new LearnedDemandForecaster(DemandForecaster.trend(1.645), registry, history, clock);

    fresh.reload();

    assertThat(fresh.name()).startsWith("trend (demand model v2 cannot be loaded");
    List<ResourceSample> recent = history.since(ResourceHistory.Resolution.RAW, clock.instant().minusSeconds(300));
    assertThat(fresh.projectUse(ResourceKind.CPU, recent, Duration.ofMinutes(5)))
        .isEqualTo(DemandForecaster.trend(1.645).projectUse(ResourceKind.CPU, recent, Duration.ofMinutes(5)));
    assertThat(rest.withBasicAuth("demo", "demo").getForEntity("/flowcast/api/resources/profile", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  /** What {@code @Order(2)} leaves behind, made here when a test runs on its own. */
  private void givenTheModelTrainedFromTheMeasuredHistory() {
    if (registry.list(DemandTrainer.KIND, 10).isEmpty()) {
      measuredDays(2, TRAINED_CORES);
      ResponseEntity<String> answer = train();
      assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(HttpStatus.CREATED);
    }
  }

  private ResponseEntity<String> train() {
    return rest.withBasicAuth("demo", "demo").postForEntity("/flowcast/api/admin/models/demand/train", null, String.class);
  }

  private String forecasterInTheProfile() throws Exception {
    JsonNode profile = json.readTree(rest.withBasicAuth("demo", "demo")
        .getForObject("/flowcast/api/resources/profile", String.class));
    return profile.get("forecaster").asText();
  }

  /** Minute averages of a machine of {@code cores} cores busy on a daily cycle, up to now, as the sampler stores them. */
  private void measuredDays(int days, double cores) {
    String node = jdbc.sql("select node from flowcast_resource_sample fetch first 1 rows only").query(String.class)
        .single();
    Random noise = new Random(7);
    Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
    Instant start = end.minus(Duration.ofDays(days));
    for (Instant at = start; at.isBefore(end); at = at.plus(Duration.ofMinutes(1))) {
      double phase = 2 * Math.PI * (at.getEpochSecond() % 86_400) / 86_400.0;
      double busy = cores * (0.7 + 0.12 * Math.sin(phase)) + noise.nextGaussian() * cores * 0.02;
      jdbc.sql("insert into flowcast_resource_sample (node, resolution, sampled_at, cpu_capacity, cpu_used,"
              + " memory_capacity_mb, memory_used_mb, network_capacity_mbps, network_in_bps, network_out_bps,"
              + " disk_capacity_iops, disk_read_bps, disk_write_bps, disk_reads_ps, disk_writes_ps)"
              + " values (?, '1m', ?, ?, ?, 32768, ?, 1000, ?, ?, 3000, 1e5, 1e5, ?, 30)")
          .params(node, Timestamp.from(at), cores, busy, 8000 + 1000 * Math.sin(phase), 1e6 * (1 + Math.sin(phase)),
              5e5, 30 + 10 * Math.sin(phase))
          .update();
    }
  }
}
