package dev.flowcast.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.resources.ResourceDemand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short replay of the shared help-desk log through the real application, twice with one seed:
 * every request completes under every strategy, and the figures are the same to the last digit.
 */
class SimulationTest {

  private static final ReplaySource SHORT_REPLAY = new ReplaySource(
      Path.of("datasets/eventlogs/helpdesk.csv"),
      Path.of("datasets/timeseries/rds_cpu_utilization_cc0c53.csv"), 0.667, 40, 300, 12, 0.85);

  @Test
  void shouldGiveTheSameFiguresForTheSameSeedAndLoseNoRequest() {
    List<Strategy> strategies = List.of(Strategy.STATIC_ON_DEMAND, Strategy.FLOWCAST);
    List<String> progress = new ArrayList<>();

    SimulationReport first = Simulation.run(new Simulation.Settings(SHORT_REPLAY, strategies, 7, false),
        (strategy, done, total) -> progress.add(strategy.label() + " " + done + "/" + total));
    SimulationReport second = Simulation.run(new Simulation.Settings(SHORT_REPLAY, strategies, 7, false),
        (strategy, done, total) -> { });

    assertThat(first.strategies()).containsOnlyKeys("static-on-demand", "flowcast");
    first.strategies().forEach((strategy, figures) -> {
      assertThat(figures.lost()).as("requests %s lost", strategy).isZero();
      assertThat(figures.completed()).as("requests %s completed", strategy).isEqualTo(40);
      assertThat(figures.cost()).as("cost of %s", strategy).isPositive();
    });
    assertThat(second.strategies()).isEqualTo(first.strategies());
    assertThat(progress).contains("static-on-demand 40/40", "flowcast 40/40");
  }

  @Test
  void shouldPayStaticPoolsForEveryProvisionedSecondAndLetThePlannersResizeElasticOnes() {
    // given a short replay on elastic pools (90 s on-demand, 3 min spot)
    List<Strategy> strategies = List.of(Strategy.STATIC_PEAK, Strategy.REACTIVE_AUTOSCALE, Strategy.FLOWCAST);
    ReplaySource replay = new ReplaySource(SHORT_REPLAY.log(), SHORT_REPLAY.series(), 0.667, 20, 300, 12, 0.85);

    // when
    SimulationReport report = Simulation.run(new Simulation.Settings(replay, strategies, 7, false,
        ElasticSetup.defaults()), (strategy, done, total) -> { });

    // then every request completes, static-peak never changes size and pays for its units all along,
    // the planners do resize, and the lead times are reported
    assertThat(report.strategies()).containsOnlyKeys("static-peak", "reactive-autoscale", "flowcast");
    report.strategies().forEach((strategy, figures) -> {
      assertThat(figures.lost()).as("requests %s lost", strategy).isZero();
      assertThat(figures.elastic()).as("elastic figures of %s", strategy).isNotNull();
      assertThat(figures.elastic().unitSeconds().values()).allSatisfy(seconds -> assertThat(seconds).isPositive());
    });
    SimulationReport.Figures peak = report.strategies().get("static-peak");
    assertThat(peak.elastic().scalings()).isZero();
    assertThat(report.strategies().get("reactive-autoscale").elastic().scalings()).isPositive();
    assertThat(report.strategies().get("flowcast").elastic().scalings()).isPositive();
    assertThat(report.replay()).containsEntry("leadTimes", Map.of("on-demand", "PT1M30S", "spot", "PT3M"))
        .containsEntry("warmUp", "PT5M");
    assertThat(report.timelines().get("flowcast")).allSatisfy(point -> assertThat(point.readyVcpu()).isNotEmpty());
    // the pools ran, and were paid, for the warm-up before the first request
    assertThat(report.timelines().get("flowcast").get(0).minute()).isEqualTo(-5.0);
  }

  @Test
  void shouldGiveAStrategyTheSameFiguresWhereverItStandsInTheRun() {
    // given a replay on elastic pools and two settings of the reactive rule
    ReplaySource replay = new ReplaySource(SHORT_REPLAY.log(), SHORT_REPLAY.series(), 0.4, 30, 1200, 12, 0.85);
    String tight = "reactive-autoscale u=0.2 c=300s";
    String loose = "reactive-autoscale u=0.5 c=300s";

    // when they run in one order and in the other
    SimulationReport tightFirst = Simulation.run(new Simulation.Settings(replay, List.of(Strategy.REACTIVE_AUTOSCALE),
        7, false, reactiveGrid(0.2, 0.5)), (strategy, done, total) -> { });
    SimulationReport looseFirst = Simulation.run(new Simulation.Settings(replay, List.of(Strategy.REACTIVE_AUTOSCALE),
        7, false, reactiveGrid(0.5, 0.2)), (strategy, done, total) -> { });

    // then each setting's figures are its own, not its place's (the first replay of a run once
    // found the users of the imported history active, where no later replay did)
    assertThat(tightFirst.strategies()).containsOnlyKeys(tight, loose);
    assertThat(looseFirst.strategies().get(tight)).isEqualTo(tightFirst.strategies().get(tight));
    assertThat(looseFirst.strategies().get(loose)).isEqualTo(tightFirst.strategies().get(loose));
  }

  private static ElasticSetup reactiveGrid(double... targets) {
    return new ElasticSetup(ElasticSetup.DEFAULT_LEAD_TIMES, java.util.Arrays.stream(targets).boxed().toList(),
        List.of(java.time.Duration.ofMinutes(5)), List.of(0.8));
  }

  @Test
  void shouldExportTheWorkloadWithEachCaseOneUserInItsEarlierSessionAndItsRequests(@TempDir Path directory)
      throws IOException {
    Simulation.exportWorkload(SHORT_REPLAY, directory);

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> requests = new ArrayList<>();
    for (String line : Files.readAllLines(directory.resolve("requests.ndjson"))) {
      requests.add(json.readTree(line));
    }
    List<JsonNode> history = new ArrayList<>();
    for (String line : Files.readAllLines(directory.resolve("history.ndjson"))) {
      history.add(json.readTree(line));
    }
    assertThat(requests).hasSize(40);
    assertThat(requests.get(0).get("seconds").asDouble()).isZero();
    assertThat(requests).allSatisfy(request -> {
      assertThat(request.get("user").asText()).matches("case[A-Za-z0-9]+");
      assertThat(request.get("deadlineSeconds").asLong()).isBetween(90L, 150L);
    });
    assertThat(requests).extracting(request -> request.get("seconds").asDouble()).isSorted();
    assertThat(history).isNotEmpty().allSatisfy(event -> assertThat(event.get("seconds").asDouble()).isNotPositive());
    // the cases that straddle the window's start are sessions that announce their next requests
    assertThat(history).extracting(event -> event.get("user").asText())
        .containsAnyElementsOf(requests.stream().map(request -> request.get("user").asText()).toList());
  }

  @Test
  void shouldRefuseElasticStrategiesOnFixedPools() {
    assertThatThrownBy(() -> new Simulation.Settings(SHORT_REPLAY, List.of(Strategy.REACTIVE_AUTOSCALE), 7, false))
        .hasMessageContaining("reactive-autoscale").hasMessageContaining("elastic pools");
  }

  @Test
  void shouldJudgeEveryTuningTrialOnItsOwnRequests() {
    ReplaySource heldBack = new ReplaySource(SHORT_REPLAY.log(), SHORT_REPLAY.series(), 0.333, 20, 300, 12, 0.85);
    ReplaySource tuneOn = new ReplaySource(SHORT_REPLAY.log(), SHORT_REPLAY.series(), 0.667, 20, 300, 12, 0.85);

    TuningReport report = Simulation.tune(new Simulation.TuningSettings(tuneOn, 7, heldBack, 8, 3),
        (strategy, done, total) -> { });

    assertThat(report.trials()).hasSize(3);
    assertThat(report.trials()).allSatisfy(trial -> {
      assertThat(trial.figures().completed()).isEqualTo(20);
      assertThat(trial.figures().p50Seconds()).isPositive();
      assertThat(trial.figures().queueP50Seconds()).isNotNegative();
    });
    assertThat(report.trials().get(0).weights()).isEqualTo(report.configured());
    assertThat(report.configuredHeldBack().completed()).isEqualTo(20);
    assertThat(report.bestHeldBack().completed()).isEqualTo(20);
  }

  @Test
  void shouldDrawTheSameRunTimesForARequestsStepUnderEveryStrategy() {
    ReplayState state = new ReplayState();
    CapacityModel one = new CapacityModel(Map.of(), state, 7);
    CapacityModel other = new CapacityModel(Map.of(), state, 7);
    Instant now = Instant.parse("2026-01-05T00:00:00Z");

    // another request's step drawn first in one of them: the order must not matter
    other.start("job-0", "3/step-1-render", "render-report", "spot", ResourceDemand.NONE,
        Duration.ofSeconds(30), now, Duration.ZERO);
    CapacityModel.Run a = one.start("job-1", "5/step-2-scale", "scale-out-spot", "spot",
        ResourceDemand.NONE, Duration.ofSeconds(30), now, Duration.ZERO);
    CapacityModel.Run b = other.start("job-2", "5/step-2-scale", "scale-out-on-demand", "on-demand",
        ResourceDemand.NONE, Duration.ofSeconds(30), now, Duration.ZERO);

    assertThat(b.until()).isEqualTo(a.until());
    assertThat(a.until()).isNotEqualTo(now.plusSeconds(30));
  }
}
