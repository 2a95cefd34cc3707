package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.adaptive.Degradation.Reason;
import dev.flowcast.adaptive.InstanceState.StepState;
import dev.flowcast.composer.AbstractTask;
import dev.flowcast.composer.Task;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.composer.Workflow;
import dev.flowcast.composer.WorkflowTemplate;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each sign the default policy looks for, on a two-step workflow: query, then compute. */
class ThresholdDegradationPolicyTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final TaskComponent QUERY = component("query-replica", "query", 0.5, 8);
  static final TaskComponent COMPUTE = component("render-report", "compute", 2, 10);
  static final WorkflowTemplate TEMPLATE = new WorkflowTemplate("run-report", "Run report",
      List.of(new AbstractTask("step_1_query", 1, "query", "Query"), new AbstractTask("step_2_compute", 2, "compute", "Compute")),
      Map.of("step_2_compute", Set.of("step_1_query")), "test", "fp");
  static final Workflow WORKFLOW = new Workflow(TEMPLATE, List.of(
      new Task("step_1_query", 1, "query", QUERY, "spot"), new Task("step_2_compute", 2, "compute", COMPUTE, "spot")));

  final ThresholdDegradationPolicy policy = new ThresholdDegradationPolicy();

  @Test
  void shouldFindARunningStepPastItsThresholdAndReportOneApproachingIt() {
    assertThat(severity(assess(runningFor(Duration.ofSeconds(8)), roomy(), Set.of(), Map.of()), Reason.SLOW_STEP))
        .isEqualTo(0.5);
    List<Degradation> slow = assess(runningFor(Duration.ofSeconds(32)), roomy(), Set.of(), Map.of());
    assertThat(severity(slow, Reason.SLOW_STEP)).isEqualTo(2.0);
    assertThat(slow.get(0).description()).isEqualTo(
        "step_1_query on query-replica@spot running 32.0 s, threshold 16.0 s (p95 8.0 s, declared)");
  }

  @Test
  void shouldFindAStepToComeBoundToAComponentThatIsSlowElsewhere() {
    List<Degradation> found = assess(runningFor(Duration.ofSeconds(1)), roomy(), Set.of(),
        Map.of("render-report", Duration.ofSeconds(60)));

    assertThat(found).anySatisfy(d -> {
      assertThat(d.reason()).isEqualTo(Reason.SLOW_COMPONENT);
      assertThat(d.stepId()).isEqualTo("step_2_compute");
      assertThat(d.severity()).isEqualTo(3.0);
    });
  }

  @Test
  void shouldFindRemainingStepsThatNoLongerFitTheirPoolCountingWhatTheInstanceHolds() {
    ResourceProfile tight = profile(new ResourceDemand(1.5, 8192, 100, 1000));

    assertThat(severity(assess(runningFor(Duration.ofSeconds(1)), tight, Set.of(), Map.of()), Reason.CAPACITY))
        .isEqualTo(1.0);
    assertThat(assess(runningFor(Duration.ofSeconds(1)), tight, Set.of(), Map.of(), Map.of("spot",
        new ResourceDemand(2, 2048, 10, 100)))).noneMatch(d -> d.reason() == Reason.CAPACITY);
  }

  @Test
  void shouldFindStepsInAPoolWithAnInterruptionNoticeButNotFinishedOnes() {
    InstanceState instance = new InstanceState("pi", "def", WORKFLOW, "alice", List.of(
        new StepState(WORKFLOW.task("step_1_query").orElseThrow(), StepState.Phase.FINISHED, null),
        new StepState(WORKFLOW.task("step_2_compute").orElseThrow(), StepState.Phase.PENDING, null)), Map.of());

    List<Degradation> found = policy.assess(instance, conditions(roomy(), Set.of("spot"), Map.of()));

    assertThat(found).extracting(Degradation::reason, Degradation::stepId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Reason.INTERRUPTION, "step_2_compute"));
  }

  private List<Degradation> assess(InstanceState instance, ResourceProfile profile, Set<String> interrupted,
      Map<String, Duration> running) {
    return policy.assess(instance, conditions(profile, interrupted, running));
  }

  private List<Degradation> assess(InstanceState instance, ResourceProfile profile, Set<String> interrupted,
      Map<String, Duration> running, Map<String, ResourceDemand> reserved) {
    InstanceState holding = new InstanceState(instance.processInstanceId(), instance.processDefinitionId(),
        instance.workflow(), instance.user(), instance.steps(), reserved);
    return policy.assess(holding, conditions(profile, interrupted, running));
  }

  private static DegradationPolicy.Conditions conditions(ResourceProfile profile, Set<String> interrupted,
      Map<String, Duration> running) {
    ObservedDurations.Times times = new ObservedDurations.Times(Map.of(), running, SwitchGovernorTest.SETTINGS);
    return new DegradationPolicy.Conditions(NOW, profile, interrupted, times::of);
  }

  private static InstanceState runningFor(Duration running) {
    return new InstanceState("pi", "def", WORKFLOW, "alice", List.of(
        new StepState(WORKFLOW.task("step_1_query").orElseThrow(), StepState.Phase.RUNNING, NOW.minus(running)),
        new StepState(WORKFLOW.task("step_2_compute").orElseThrow(), StepState.Phase.PENDING, null)), Map.of());
  }

  private static double severity(List<Degradation> found, Reason reason) {
    return found.stream().filter(d -> d.reason() == reason).mapToDouble(Degradation::severity).max().orElse(0);
  }

  private static ResourceProfile roomy() {
    return profile(new ResourceDemand(32, 131072, 10000, 20000));
  }

  private static ResourceProfile profile(ResourceDemand free) {
    return new ResourceProfile(NOW, Map.of("spot",
        new PoolCapacity("spot", new ResourceDemand(32, 131072, 10000, 20000), free, 0.012, 0.0013, 0.05)));
  }

  private static TaskComponent component(String name, String capability, double vcpu, long seconds) {
    return new TaskComponent(name, "component-" + name, capability, new ResourceDemand(vcpu, 1024, 10, 100),
        Duration.ofSeconds(seconds), "any", "low", true, "test", "component-" + name + ":1", 1);
  }
}
