package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The class cap: a bounded number of classes for the booster, whatever the vocabulary. */
class ClassCapTest {

  private final Instant t0 = Instant.parse("2026-01-05T08:00:00Z");

  /**
   * Sessions over 60 actions: "common-0" to "common-3" do most of the work; rare actions come in
   * pairs, "rare-k" always followed by "rare-k-done".
   */
  private List<Session> manyActions(int sessions) {
    Random random = new Random(3);
    List<Session> log = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      List<String> actions = new ArrayList<>();
      for (int step = 0; step < 4; step++) {
        actions.add("common-" + random.nextInt(4));
      }
      int rare = random.nextInt(28);
      actions.add("rare-" + rare);
      actions.add("rare-" + rare + "-done");
      List<Instant> times = new ArrayList<>();
      for (int i = 0; i < actions.size(); i++) {
        times.add(t0.plus(Duration.ofMinutes(10L * s + i)));
      }
      log.add(new Session("case-" + s, "case-" + s, actions, times));
    }
    return log;
  }

  @Test
  void shouldKeepTheMostFrequentActionsAndCallTheRestOther() {
    ClassCap cap = ClassCap.of(manyActions(300), 6);

    assertThat(cap.full().actions()).hasSize(4 + 28 * 2);
    assertThat(cap.frequent()).hasSize(6).contains("common-0", "common-1", "common-2", "common-3");
    assertThat(cap.capped().classes()).as("6 actions, other, end").isEqualTo(8);
    assertThat(cap.apply(new Session("s", "u", List.of("common-1", "rare-3", "never-seen"), List.of(t0, t0, t0))).actions())
        .containsExactly("common-1", ClassCap.OTHER, ClassCap.OTHER);
  }

  @Test
  void shouldTrainTheBoosterOnTheCappedClassesAndAnswerOverEveryAction() {
    List<Session> log = manyActions(400);
    IntentModel.Settings settings = IntentModel.Settings.DEFAULT.withRounds(20);

    try (IntentModel model = IntentModel.train(log, TransitionHistory.Source.of(log),
        new IntentModel.Settings(settings.window(), 20, settings.maxDepth(), settings.eta(), settings.minChildWeight(),
            settings.subsample(), settings.transitionWindow(), 6, null, settings.features()), step -> {})) {
      Session prefix = new Session("s", "u", List.of("common-0", "common-2", "common-1", "common-3", "rare-7"),
          List.of(t0, t0.plusSeconds(60), t0.plusSeconds(120), t0.plusSeconds(180), t0.plusSeconds(240)));

      double[] distribution = model.predict(List.of(prefix), List.of(t0.plusSeconds(240)))[0];

      assertThat(model.describe().get("classes")).asList().hasSize(6);
      assertThat(distribution).hasSize(model.vocabulary().classes());
      assertThat(Arrays.stream(distribution).sum()).isCloseTo(1.0, within(1e-6));
      int best = 0;
      for (int c = 1; c < distribution.length; c++) {
        best = distribution[c] > distribution[best] ? c : best;
      }
      assertThat(model.vocabulary().label(best)).as("the chain within 'other' knows what follows rare-7").isEqualTo("rare-7-done");
    }
  }

  @Test
  void shouldAnswerTheSameAfterTheStackedCappedModelIsStoredAndLoaded() throws Exception {
    List<Session> log = manyActions(300);
    IntentModel.Settings d = IntentModel.Settings.DEFAULT;
    IntentModel.Settings stacked = new IntentModel.Settings(d.window(), 15, d.maxDepth(), d.eta(), d.minChildWeight(),
        d.subsample(), d.transitionWindow(), 6, null, d.features()).stacked();
    Session prefix = new Session("s", "u", List.of("common-0", "rare-7"), List.of(t0, t0.plusSeconds(60)));
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    try (IntentModel trained = IntentModel.train(log, TransitionHistory.Source.of(log), stacked, step -> {})) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> stored = json.readValue(json.writeValueAsString(trained.describe()), java.util.Map.class);
      try (IntentModel loaded = IntentModel.load(stored, trained.bytes(), TransitionHistory.Source.of(log), json)) {

        assertThat(loaded.name()).isEqualTo(IntentModel.STACKED);
        assertThat(loaded.predict(List.of(prefix), List.of(t0.plusSeconds(60)))[0])
            .containsExactly(trained.predict(List.of(prefix), List.of(t0.plusSeconds(60)))[0], within(1e-9));
      }
    }
  }
}
