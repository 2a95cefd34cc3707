package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.bind;
import static dev.flowcast.composer.Fixtures.component;
import static dev.flowcast.composer.Fixtures.pool;
import static dev.flowcast.composer.Fixtures.profile;
import static dev.flowcast.composer.Fixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each part of the score moves the choice the way it should, and the parts are kept. */
class WeightedScorerTest {

  private static final FlowcastProperties.Scoring EQUAL_WEIGHTS = new FlowcastProperties.Scoring(1, 1, 1, 1, 0);
  private final WeightedScorer scorer = new WeightedScorer(EQUAL_WEIGHTS, DurationEstimates.declared());
  private final WorkflowTemplate template = sequence("report", "query");

  private final TaskComponent onSpot = component("query-spot", "query", 2, "spot");
  private final TaskComponent onDemand = component("query-on-demand", "query", 2, "on-demand");
  private final TaskComponent light = component("query-light", "query", 1, "on-demand");
  private final TaskComponent heavy = component("query-heavy", "query", 6, "on-demand");

  @Test
  void shouldPreferTheCheaperPoolWhenRiskIsLow() {
    ResourceProfile profile = profile(pool("spot", 16, 0.01, 0.0), pool("on-demand", 16, 0.04, 0.0));

    List<ScoredWorkflow> scored = scorer.score(List.of(bind(template, onDemand), bind(template, onSpot)), 0.5, profile);

    assertThat(scored.get(0).workflow().tasks().get(0).component()).isEqualTo(onSpot);
    assertThat(scored.get(0).score().cost()).isEqualTo(1.0);
    assertThat(scored.get(1).score().cost()).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void shouldLeaveTheSpotPoolWhenItsInterruptionRateRises() {
    ResourceProfile calm = profile(pool("spot", 16, 0.01, 0.05), pool("on-demand", 16, 0.04, 0.0));
    ResourceProfile stormy = profile(pool("spot", 16, 0.01, 20.0), pool("on-demand", 16, 0.04, 0.0));
    List<Workflow> candidates = List.of(bind(template, onSpot), bind(template, onDemand));

    assertThat(scorer.score(candidates, 0.5, calm).get(0).workflow().tasks().get(0).pool()).isEqualTo("spot");
    ScoredWorkflow best = scorer.score(candidates, 0.5, stormy).get(0);

    assertThat(best.workflow().tasks().get(0).pool()).isEqualTo("on-demand");
    assertThat(scorer.score(candidates, 0.5, stormy).get(1).score().risk())
        .as("ten minutes at 20 interruptions an hour")
        .isCloseTo(1 - Math.exp(-20.0 / 6), within(1e-9));
  }

  @Test
  void shouldPreferTheCandidateThatLeavesMoreHeadroom() {
    ResourceProfile profile = profile(pool("on-demand", 8, 0.0, 0.0));

    List<ScoredWorkflow> scored = scorer.score(List.of(bind(template, heavy), bind(template, light)), 0.5, profile);

    assertThat(scored.get(0).workflow().tasks().get(0).component()).isEqualTo(light);
    assertThat(scored.get(0).score().fit()).isCloseTo(1 - 1.0 / 8, within(1e-9));
    assertThat(scored.get(1).score().fit()).isCloseTo(1 - 6.0 / 8, within(1e-9));
  }

  @Test
  void shouldCheckAChoiceAgainstANewerProfileWithTheEstimatesItWasMadeWith() {
    AtomicInteger reads = new AtomicInteger();
    WeightedScorer counted = countingReads(reads);
    Workflow chosen = counted.score(List.of(bind(template, heavy), bind(template, light)), 0.5,
        profile(pool("on-demand", 8, 0.0, 0.0))).get(0).workflow();

    boolean roomLeft = counted.stillFits(chosen, 0.5, profile(pool("on-demand", 2, 0.0, 0.0)));
    boolean taken = counted.stillFits(chosen, 0.5, profile(pool("on-demand", 0.5, 0.0, 0.0)));

    assertThat(roomLeft).isTrue();
    assertThat(taken).as("another request took the capacity meanwhile").isFalse();
    assertThat(reads).as("the step log read once, for the scoring round").hasValue(1);
  }

  @Test
  void shouldReadTheEstimatesForACheckThatNoScoringRoundPreceded() {
    AtomicInteger reads = new AtomicInteger();
    WeightedScorer counted = countingReads(reads);

    assertThat(counted.stillFits(bind(template, light), 0.5, profile(pool("on-demand", 2, 0.0, 0.0)))).isTrue();
    assertThat(reads).hasValue(1);
  }

  @Test
  void shouldAskTheEstimatesOnlyAboutTheComponentsItsCandidatesUse() {
    List<java.util.Set<String>> asked = new ArrayList<>();
    WeightedScorer recording = new WeightedScorer(EQUAL_WEIGHTS, new DurationEstimates() {
      @Override
      public Snapshot now() {
        throw new AssertionError("the whole library was read for a scoring round");
      }

      @Override
      public Snapshot nowFor(java.util.Set<String> components) {
        asked.add(components);
        return TaskComponent::expectedDuration;
      }
    });

    recording.score(List.of(bind(template, heavy), bind(template, light)), 0.5, profile(pool("on-demand", 8, 0.0, 0.0)));

    assertThat(asked).containsExactly(java.util.Set.of("query-heavy", "query-light"));
  }

  @Test
  void shouldReadTheEstimatesAgainForACheckOfComponentsTheLatestRoundDidNotRead() {
    AtomicInteger reads = new AtomicInteger();
    WeightedScorer counted = countingReads(reads);
    counted.score(List.of(bind(template, heavy), bind(template, light)), 0.5, profile(pool("on-demand", 8, 0.0, 0.0)));

    // another request's workflow, with a component that round did not read
    counted.stillFits(bind(template, onSpot), 0.5, profile(pool("spot", 8, 0.0, 0.0)));

    assertThat(reads).hasValue(2);
  }

  @Test
  void shouldCheckAChoiceWithItsRoundsEstimatesWhenAnotherIntentWasScoredInBetween() {
    AtomicInteger reads = new AtomicInteger();
    WeightedScorer counted = countingReads(reads);
    TaskComponent backupOnSpot = component("backup-spot", "backup", 2, "spot");
    Workflow chosen = counted.score(List.of(bind(template, heavy), bind(template, light)), 0.5,
        profile(pool("on-demand", 8, 0.0, 0.0))).get(0).workflow();
    // another request, for another intent, scored between this request's round and its check
    counted.score(List.of(bind(sequence("backup", "backup"), backupOnSpot)), 0.5, profile(pool("spot", 8, 0.0, 0.0)));

    boolean fits = counted.stillFits(chosen, 0.5, profile(pool("on-demand", 2, 0.0, 0.0)));

    assertThat(fits).isTrue();
    assertThat(reads).as("the step log read once per scoring round, not again for the check").hasValue(2);
  }

  /** Declared durations, each read of the estimates counted. */
  private static WeightedScorer countingReads(AtomicInteger reads) {
    return new WeightedScorer(EQUAL_WEIGHTS, () -> {
      reads.incrementAndGet();
      return TaskComponent::expectedDuration;
    });
  }

  @Test
  void shouldMarkACandidateThatDoesNotFitAsInfeasibleAndRankItLast() {
    ResourceProfile profile = profile(pool("on-demand", 4, 0.0, 0.0));

    List<ScoredWorkflow> scored = scorer.score(List.of(bind(template, heavy), bind(template, light)), 0.5, profile);

    assertThat(scored.get(1).workflow().tasks().get(0).component()).isEqualTo(heavy);
    assertThat(scored.get(1).score().feasible()).isFalse();
    assertThat(scored.get(1).score().fit()).isZero();
  }

  @Test
  void shouldRankTheMoreProbableIntentFirstWhenAllElseIsEqual() {
    ResourceProfile profile = profile(pool("on-demand", 16, 0.04, 0.0));
    Workflow workflow = bind(template, onDemand);

    double likely = scorer.score(List.of(workflow), 0.9, profile).get(0).score().total();
    double unlikely = scorer.score(List.of(workflow), 0.1, profile).get(0).score().total();

    assertThat(likely - unlikely).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void shouldWeighEachPartAsConfigured() {
    ResourceProfile profile = profile(pool("spot", 16, 0.001, 0.0), pool("on-demand", 16, 0.04, 0.0));
    TaskComponent cheapButHeavy = component("query-cheap-heavy", "query", 12, "spot");
    List<Workflow> candidates = List.of(bind(template, cheapButHeavy), bind(template, light));

    List<ScoredWorkflow> byCost = new WeightedScorer(new FlowcastProperties.Scoring(0, 0, 1, 0, 0), DurationEstimates.declared())
        .score(candidates, 0.5, profile);
    List<ScoredWorkflow> byFit = new WeightedScorer(new FlowcastProperties.Scoring(0, 1, 0, 0, 0), DurationEstimates.declared())
        .score(candidates, 0.5, profile);

    assertThat(byCost.get(0).workflow().tasks().get(0).component()).isEqualTo(cheapButHeavy);
    assertThat(byFit.get(0).workflow().tasks().get(0).component()).isEqualTo(light);
    assertThat(byCost.get(1).score().costPerRun())
        .as("1 vCPU on-demand for 10 minutes at 0.04 plus 1 GB at 0.004")
        .isCloseTo((0.04 + 0.004) / 6, within(1e-9));
  }

  @Test
  void shouldAddUpParallelStepsWhenFindingThePeak() {
    Workflow workflow = fanOut(
        component("a", "start", 1, "on-demand"),
        component("b", "left", 3, "on-demand"),
        component("c", "right", 3, "on-demand"),
        component("d", "finish", 1, "on-demand"));

    assertThat(workflow.peakDemandByPool().get("on-demand").vcpu()).isEqualTo(6);
    ScoredWorkflow scored = scorer.score(List.of(workflow), 0.5, profile(pool("on-demand", 5, 0.04, 0))).get(0);
    assertThat(scored.score().feasible()).as("6 vCPU at once do not fit in 5").isFalse();
  }

  @Test
  void shouldFindThePeakOfSomeStepsAsOfTheWorkflowReducedToThem() {
    Workflow workflow = fanOut(
        component("a", "start", 4, "on-demand"),
        component("b", "left", 3, "on-demand"),
        component("c", "right", 2, "spot"),
        component("d", "finish", 5, "spot"));
    List<String> steps = workflow.tasks().stream().map(Task::stepId).toList();

    for (Set<String> some : List.of(Set.copyOf(steps), Set.of(steps.get(1), steps.get(2), steps.get(3)),
        Set.of(steps.get(0), steps.get(3)), Set.of(steps.get(2)), Set.<String>of())) {
      assertThat(workflow.peakDemandByPool(some)).as("the steps %s", some)
          .isEqualTo(workflow.only(some).peakDemandByPool());
    }
    assertThat(workflow.peakDemandByPool(Set.of(steps.get(0), steps.get(3))).get("on-demand").vcpu())
        .as("the start alone on on-demand").isEqualTo(4);
    assertThat(workflow.peakDemandByPool(Set.of(steps.get(2), steps.get(3))).get("spot").vcpu())
        .as("the finish after the right branch, not beside it").isEqualTo(5);
  }
  @Test
  void shouldCountTheStepsOfSomeWhoseDependenciesAreNotAmongThemAsStartingTogether() {
    // as in a remainder: the steps before them have finished
    Workflow chain = bind(sequence("chain", "one", "two", "three"),
        component("x", "one", 2, "spot"),
        component("y", "two", 1, "spot"),
        component("z", "three", 3, "spot"));
    List<String> steps = chain.tasks().stream().map(Task::stepId).toList();
    Set<String> firstAndLast = Set.of(steps.get(0), steps.get(2));

    assertThat(chain.peakDemandByPool(firstAndLast).get("spot").vcpu()).as("2 and 3 vCPU at once").isEqualTo(5);
    assertThat(chain.peakDemandByPool(firstAndLast)).isEqualTo(chain.only(firstAndLast).peakDemandByPool());
    assertThat(chain.peakDemandByPool().get("spot").vcpu()).as("one after another: the largest").isEqualTo(3);
  }

  /** A start, two steps side by side after it, and a finish after both, bound to these components. */
  private static Workflow fanOut(TaskComponent start, TaskComponent left, TaskComponent right, TaskComponent finish) {
    return bind(Fixtures.diamond("fan-out", "start", List.of("left", "right"), "finish"), start, left, right, finish);
  }


  @Test
  void shouldCostLongerStepsMore() {
    TaskComponent slow = component("query-slow", "query", 2, 1024, "on-demand", Duration.ofHours(1));
    TaskComponent quick = component("query-quick", "query", 2, 1024, "on-demand", Duration.ofMinutes(6));
    ResourceProfile profile = profile(pool("on-demand", 16, 0.04, 0.0));

    List<ScoredWorkflow> scored = scorer.score(List.of(bind(template, slow), bind(template, quick)), 0.5, profile);

    assertThat(scored.get(0).workflow().tasks().get(0).component()).isEqualTo(quick);
    assertThat(scored.get(1).score().cost()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void shouldJudgeAStepThatStartsLaterByWhatIsProjectedFreeWhenItStarts() {
    // given a pool nearly full now, that is projected to have room from +10 minutes on
    ResourceDemand room = new ResourceDemand(8, 8 * 4096, 10_000, 20_000);
    ResourceDemand little = new ResourceDemand(1, 4096, 10_000, 20_000);
    PoolCapacity filling = new PoolCapacity("on-demand", room, little, 0.04, 0.004, 0,
        Map.of(Duration.ofMinutes(5), little, Duration.ofMinutes(10), room, Duration.ofMinutes(15), room));
    ResourceProfile profile = profile(filling);
    WorkflowTemplate twoSteps = sequence("report", "provision", "query");
    TaskComponent slowLightFirst = component("provision-slow", "provision", 0.5, 512, "on-demand", Duration.ofMinutes(11));
    TaskComponent quickLightFirst = component("provision-quick", "provision", 0.5, 512, "on-demand", Duration.ofSeconds(30));
    TaskComponent heavyQuery = component("query-heavy", "query", 6, 6 * 1024, "on-demand", Duration.ofMinutes(1));

    // when the heavy step comes after 11 minutes, or after 30 seconds
    List<ScoredWorkflow> later = scorer.score(List.of(bind(twoSteps, slowLightFirst, heavyQuery)), 0.5, profile);
    List<ScoredWorkflow> soon = scorer.score(List.of(bind(twoSteps, quickLightFirst, heavyQuery)), 0.5, profile);

    // then only the later one fits: its heavy step meets the room projected at +15 minutes
    assertThat(later.get(0).score().feasible()).isTrue();
    assertThat(soon.get(0).score().feasible()).isFalse();
  }
}
