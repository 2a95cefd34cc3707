package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.component;
import static dev.flowcast.composer.Fixtures.library;
import static dev.flowcast.composer.Fixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a predicted request is priced by before its intent has been composed: the candidate the
 * composer runs once capacity has been bought for it, the cheapest. The planner buys where that
 * puts the demand, so a step that may run anywhere must count in spot, not on-demand.
 */
class CheapestBindingTest {

  private static final ResourceDemand CAPACITY = new ResourceDemand(16, 65_536, 10_000, 20_000);
  /** The catalog's prices: Fargate on-demand, spot 70% off, reserved 50% off. */
  private static final Map<String, PricedPool> POOLS = Map.of(
      "on-demand", new PricedPool("on-demand", CAPACITY, 0.04048, 0.004445, 0),
      "spot", new PricedPool("spot", CAPACITY, 0.012144, 0.0013335, 0.05),
      "reserved", new PricedPool("reserved", CAPACITY, 0.02024, 0.0022225, 0));

  private final WorkflowTemplate report = sequence("run-report", "provision", "query");

  @Test
  void shouldCountAStepThatMayRunInAnyPoolInTheCheapestOneNotOnDemand() {
    // given a provision step with a component for spot and one for on-demand, and a query that runs anywhere
    ComponentLibrary library = library(
        component("provision-on-demand", "provision", 2, "on-demand"),
        component("provision-spot", "provision", 2, "spot"),
        component("query-primary", "query", 1, "any"));

    // when the likely binding is chosen among every candidate
    Workflow likely = CheapestBinding.in(candidates(library), POOLS).orElseThrow();

    // then every step is on spot, where the composer puts it when spot has room (the static binding is on-demand)
    assertThat(likely.describe())
        .isEqualTo("step_1_provision=provision-spot@spot, step_2_query=query-primary@spot");
    assertThat(likely.peakDemandByPool()).containsOnlyKeys("spot");
  }

  @Test
  void shouldKeepAStepThatRunsOnlyOnDemandOnDemand() {
    // given a provision step that only an on-demand component does
    ComponentLibrary library = library(
        component("provision-on-demand", "provision", 2, "on-demand"),
        component("query-primary", "query", 1, "any"));

    // when the likely binding is chosen
    Workflow likely = CheapestBinding.in(candidates(library), POOLS).orElseThrow();

    // then that step counts on on-demand, the rest on spot
    assertThat(likely.describe())
        .isEqualTo("step_1_provision=provision-on-demand@on-demand, step_2_query=query-primary@spot");
  }

  @Test
  void shouldTakeTheComponentWhoseRunCostsLessWhereTwoMayRunInTheSamePool() {
    // given two query components for any pool: one of 1 vCPU for 10 minutes, one of 4 vCPU for 5 minutes
    ComponentLibrary library = library(
        component("provision-spot", "provision", 2, "spot"),
        component("query-heavy", "query", 4, 1024, "any", Duration.ofMinutes(5)),
        component("query-light", "query", 1, 1024, "any", Duration.ofMinutes(10)));

    // when the likely binding is chosen
    Workflow likely = CheapestBinding.in(candidates(library), POOLS).orElseThrow();

    // then it is the light one (10 vCPU-minutes against 20), on spot
    assertThat(likely.describe())
        .isEqualTo("step_1_provision=provision-spot@spot, step_2_query=query-light@spot");
  }

  @Test
  void shouldFindNoneAmongNoCandidates() {
    assertThat(CheapestBinding.in(List.of(), POOLS)).isEmpty();
  }

  private List<Workflow> candidates(ComponentLibrary library) {
    return CandidateGenerator.candidates(report, library, POOLS.keySet(), c -> true, 512);
  }
}
