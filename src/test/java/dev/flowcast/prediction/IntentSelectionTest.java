package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Model selection inside the training part, on logs made here where the best answer is known. */
class IntentSelectionTest {

  private final Instant t0 = Instant.parse("2026-01-05T08:00:00Z");

  /**
   * Sessions drawn from a first-order Markov chain over five actions, with one clearly most likely
   * successor each, and nothing in the timing or the length: no model can beat the chain's answer.
   */
  private List<Session> firstOrderChain(int sessions) {
    String[] actions = {"a", "b", "c", "d", "e"};
    Random random = new Random(11);
    List<Session> log = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      List<String> done = new ArrayList<>();
      List<Instant> times = new ArrayList<>();
      Instant t = t0.plus(Duration.ofMinutes(7L * s));
      int current = random.nextInt(actions.length);
      // the end is memoryless too: a session's length tells nothing a chain does not know
      for (int step = 0; step == 0 || random.nextDouble() > 0.15; step++) {
        done.add(actions[current]);
        times.add(t);
        t = t.plusSeconds(30 + random.nextInt(600));
        double draw = random.nextDouble();
        current = draw < 0.6 ? (current + 1) % actions.length : draw < 0.8 ? (current + 2) % actions.length : random.nextInt(actions.length);
      }
      log.add(new Session("case-" + s, "case-" + s, done, times));
    }
    return log;
  }

  /** After "b" comes "c" when the user paused before "b", "d" when they did not: a signal no chain sees. */
  private List<Session> timingMatters(int sessions) {
    Random random = new Random(5);
    List<Session> log = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      Instant start = t0.plus(Duration.ofMinutes(20L * s));
      boolean paused = random.nextBoolean();
      Instant b = start.plusSeconds(paused ? 3_600 : 20);
      log.add(new Session("case-" + s, "case-" + s, List.of("a", "b", paused ? "c" : "d"),
          List.of(start, b, b.plusSeconds(30))));
    }
    return log;
  }

  @Test
  void shouldChooseTheMarkovChainWhereTheLogIsAMarkovChain() {
    List<Session> training = firstOrderChain(600);

    try (IntentSelection.Chosen chosen = IntentSelection.train(training, TransitionHistory.Source.of(training),
        IntentModel.Settings.DEFAULT, step -> {})) {

      assertThat(chosen.winner()).isIn(OnlineMarkov.MARKOV1, OnlineMarkov.MARKOV2);
      assertThat(chosen.boosted()).as("no boosted model is kept").isNull();
      assertThat(chosen.validationTop1()).containsKeys(IntentModel.NAME, IntentModel.STACKED);
      assertThat(chosen.margin()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void shouldChooseTheBoostedModelWhereThereIsSignalBeyondTheLastTwoActions() {
    List<Session> training = timingMatters(600);

    try (IntentSelection.Chosen chosen = IntentSelection.train(training, TransitionHistory.Source.of(training),
        IntentModel.Settings.DEFAULT, step -> {})) {

      assertThat(chosen.winner()).isIn(IntentModel.NAME, IntentModel.STACKED);
      assertThat(chosen.margin()).as("ahead of the better chain on validation").isGreaterThan(0.1);
      assertThat(chosen.validationTop1().get(chosen.winner())).isGreaterThan(0.95);
    }
  }

  @Test
  void shouldReachTheEndOfTheProgressOnlyWhenTrainingHasEnded() {
    List<Session> training = timingMatters(200);
    List<Integer> steps = new ArrayList<>();

    try (IntentSelection.Chosen chosen = IntentSelection.train(training, TransitionHistory.Source.of(training),
        IntentModel.Settings.DEFAULT, steps::add)) {

      assertThat(steps).isSorted();
      assertThat(steps.get(steps.size() - 1)).isEqualTo(IntentSelection.steps(IntentModel.Settings.DEFAULT));
      assertThat(steps.stream().filter(s -> s == IntentSelection.steps(IntentModel.Settings.DEFAULT)).count())
          .as("the end is reported once, last").isEqualTo(1);
    }
  }
}
