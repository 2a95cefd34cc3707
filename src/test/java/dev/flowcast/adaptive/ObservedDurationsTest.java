package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Declared durations until there is history, observed ones after; a step running long marks its component slow. */
@FlowcastTest
class ObservedDurationsTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  /** 3 runs are enough, the latest 5 count. */
  static final FlowcastProperties.Adaptive SETTINGS = new FlowcastProperties.Adaptive(
      true, Duration.ofSeconds(5), 2.0, Duration.ofSeconds(5), 3, 5, Duration.ofMinutes(10), Duration.ofSeconds(1),
      2, 0.8, 0.1, Duration.ofSeconds(30), 2);

  @Autowired JdbcClient jdbc;

  final String name = "probe-" + UUID.randomUUID();
  final TaskComponent component = new TaskComponent(name, "component-" + name, "probe",
      new ResourceDemand(1, 1024, 1, 1), Duration.ofSeconds(10), "any", "low", true, "test", "x", 1);

  ObservedDurations durations() {
    return new ObservedDurations(new StepLog(jdbc), SETTINGS, () -> NOW, () -> List.of(name));
  }

  @Test
  void shouldUseTheDeclaredDurationUntilThereAreEnoughRuns() {
    completed(4, 6);

    ComponentTimes times = durations().now().of(component);

    assertThat(times.samples()).isZero();
    assertThat(times.expected()).isEqualTo(Duration.ofSeconds(10));
    assertThat(times.threshold()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void shouldUseTheMeanAndP95OfTheLatestRunsOnceThereAreEnough() {
    completed(100, 100, 4, 6, 8, 2, 10); // the two oldest fall out of the window of 5

    ComponentTimes times = durations().now().of(component);

    assertThat(times.samples()).isEqualTo(5);
    assertThat(times.typical()).isEqualTo(Duration.ofSeconds(6));
    assertThat(times.p95()).isEqualTo(Duration.ofSeconds(10));
    assertThat(times.threshold()).as("max(2 × 10 s, 10 s + 5 s)").isEqualTo(Duration.ofSeconds(20));
    assertThat(times.degraded()).isFalse();
  }

  @Test
  void shouldExpectTwiceTheRunningTimeOfAStepPastItsThreshold() {
    running(Duration.ofSeconds(15));
    assertThat(durations().now().of(component).expected()).as("within its threshold").isEqualTo(Duration.ofSeconds(10));

    running(Duration.ofSeconds(45));
    ComponentTimes times = durations().now().of(component);

    assertThat(times.degraded()).isTrue();
    assertThat(times.expected()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void shouldJudgeAComponentByTheLongestOfItsRunningSteps() {
    running(Duration.ofSeconds(5));
    running(Duration.ofSeconds(45));
    running(Duration.ofSeconds(15));
    cancelled(Duration.ofSeconds(30), NOW.minus(Duration.ofMinutes(1)));

    assertThat(durations().now().of(component).expected()).as("twice the 45 s one").isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void shouldRememberAStepCancelledPastItsThresholdOnlyForTheEvidenceWindow() {
    cancelled(Duration.ofSeconds(60), NOW.minus(Duration.ofMinutes(2)));
    assertThat(durations().now().of(component).degraded()).isTrue();

    jdbc.sql("update flowcast_step set ended_at = ? where component = ?")
        .params(java.sql.Timestamp.from(NOW.minus(Duration.ofMinutes(11))), name).update();
    assertThat(durations().now().of(component).degraded()).isFalse();
  }

  @Test
  void shouldCountFailuresAmongTheLatestEndedRunsOnly() {
    // three failures an hour ago, then six completed runs: the window of 5 holds completed runs only
    Instant longAgo = NOW.minus(Duration.ofHours(2));
    for (int i = 0; i < 3; i++) {
      insert("FAILED", longAgo.plusSeconds(i * 60L), longAgo.plusSeconds(i * 60L + 10));
    }
    completed(4, 4, 4, 4, 4, 4);
    assertThat(durations().now().failureRate(component)).isZero();

    // two failures now: two of the latest five ended runs failed
    insert("FAILED", NOW.minusSeconds(30), NOW.minusSeconds(20));
    insert("FAILED", NOW.minusSeconds(15), NOW.minusSeconds(5));
    assertThat(durations().now().failureRate(component)).isEqualTo(2.0 / 5);
  }

  @Test
  void shouldScoreFromAReadOfTheStepLogAtMostDurationsMaxAgeOld() {
    completed(4, 6, 8);
    AtomicReference<Instant> engineTime = new AtomicReference<>(NOW);
    AtomicLong machineNanos = new AtomicLong();
    ObservedDurations durations = new ObservedDurations(new StepLog(jdbc), SETTINGS, engineTime::get,
        () -> List.of(name), Set::of, machineNanos::get);
    Set<String> candidates = Set.of(name);
    assertThat(durations.nowFor(candidates).of(component).typical()).isEqualTo(Duration.ofSeconds(6));

    completed(20, 20);
    machineNanos.addAndGet(Duration.ofMillis(900).toNanos());
    engineTime.set(NOW.plusMillis(900));
    assertThat(durations.nowFor(candidates).of(component).typical()).as("the read of 0.9 s ago")
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(durations.now().of(component).typical()).as("the adaptive check reads afresh")
        .isEqualTo(Duration.ofMillis(11_600));

    machineNanos.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(durations.nowFor(candidates).of(component).typical()).as("a second old: read again")
        .isEqualTo(Duration.ofMillis(11_600));

    completed(50);
    engineTime.set(NOW.plus(Duration.ofMinutes(5)));
    assertThat(durations.nowFor(candidates).of(component).typical()).as("the engine's clock set forward: read again")
        .isEqualTo(Duration.ofMillis(20_800));
  }

  @Test
  void shouldMeasureAStepRunningOnUpToNowFromAKeptRead() {
    running(Duration.ofSeconds(15));
    AtomicReference<Instant> engineTime = new AtomicReference<>(NOW);
    ObservedDurations durations = new ObservedDurations(new StepLog(jdbc), SETTINGS, engineTime::get,
        () -> List.of(name), Set::of, () -> 0L);
    assertThat(durations.nowFor(Set.of(name)).of(component).longestRunning()).isEqualTo(Duration.ofSeconds(15));

    engineTime.set(NOW.plusMillis(500));
    assertThat(durations.nowFor(Set.of(name)).of(component).longestRunning()).isEqualTo(Duration.ofMillis(15_500));
  }

  /** Runs that ended a minute apart, each later than every run completed before it. */
  private void completed(long... seconds) {
    for (long s : seconds) {
      lastEnded = lastEnded.plusSeconds(60);
      insert("COMPLETED", lastEnded.minusSeconds(s), lastEnded);
    }
  }

  private Instant lastEnded = NOW.minus(Duration.ofHours(1));

  private void running(Duration since) {
    insert("RUNNING", NOW.minus(since), null);
  }

  private void cancelled(Duration after, Instant ended) {
    insert("CANCELLED", ended.minus(after), ended);
  }

  private void insert(String state, Instant started, Instant ended) {
    jdbc.sql("insert into flowcast_step (id, process_instance_id, process_definition_id, step_id, component, pool,"
            + " state, started_at, ended_at, duration_ms, vcpu, memory_mb) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1024)")
        .params(UUID.randomUUID().toString(), "pi-" + UUID.randomUUID(), "def", "step_1_probe", name, "spot", state,
            java.sql.Timestamp.from(started), ended == null ? null : java.sql.Timestamp.from(ended),
            ended == null ? null : Duration.between(started, ended).toMillis())
        .update();
  }
}
