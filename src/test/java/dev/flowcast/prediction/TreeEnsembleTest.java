package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trees evaluated in Java give what the native booster gives, to 1e-6: on every test prefix of
 * the help-desk log (the intent model, softmax over its classes; also stacked on the Markov chains'
 * predictions with its classes capped) and on a regression with missing values (the demand models).
 */
class TreeEnsembleTest {

  @Test
  void shouldGiveTheBoostersProbabilitiesOnEveryTestPrefixOfTheHelpDeskLog() throws Exception {
    HelpDeskLog log = HelpDeskLog.read(Path.of("datasets/eventlogs/helpdesk.csv"));
    List<Session> prefixes = log.prefixes();
    List<Instant> at = log.at();

    // 100 rounds × 10 classes: the 1,000 trees docs/BENCHMARKS.md times
    try (IntentModel model = IntentModel.train(log.training(), TransitionHistory.Source.of(log.sessions()),
        IntentModel.Settings.DEFAULT.withRounds(100), round -> {})) {
      float[][] booster = model.boosterOutput(prefixes, at);
      float[][] trees = model.treeOutput(prefixes, at);

      assertThat(trees).hasSameDimensionsAs(booster);
      assertThat(prefixes).hasSizeGreaterThan(3000);
      assertThat(largestDifference(booster, trees)).as("largest difference over %d prefixes", prefixes.size())
          .isLessThan(1e-6);
    }
  }

  @Test
  void shouldGiveTheStackedCappedModelsProbabilitiesOnEveryTestPrefixOfTheHelpDeskLog() throws Exception {
    HelpDeskLog log = HelpDeskLog.read(Path.of("datasets/eventlogs/helpdesk.csv"));
    List<Session> prefixes = log.prefixes();
    List<Instant> at = log.at();
    IntentModel.Settings d = IntentModel.Settings.DEFAULT;
    // 5 of the log's 9 activities in classes of their own: "other" and the chains' features are in play
    IntentModel.Settings stackedCapped = new IntentModel.Settings(d.window(), 60, d.maxDepth(), d.eta(),
        d.minChildWeight(), d.subsample(), d.transitionWindow(), 5, null, d.features()).stacked();

    try (IntentModel model = IntentModel.train(log.training(), TransitionHistory.Source.of(log.sessions()),
        stackedCapped, round -> {})) {
      float[][] booster = model.boosterOutput(prefixes, at);
      float[][] trees = model.treeOutput(prefixes, at);
      double[][] batched = model.predict(prefixes, at);
      double[][] oneByOne = new double[prefixes.size()][];
      for (int i = 0; i < prefixes.size(); i++) {
        oneByOne[i] = model.predict(List.of(prefixes.get(i)), List.of(at.get(i)))[0];
      }

      assertThat(model.name()).isEqualTo(IntentModel.STACKED);
      assertThat(booster[0]).as("5 activities, other, end").hasSize(7);
      assertThat(largestDifference(booster, trees)).as("booster against trees, capped classes").isLessThan(1e-6);
      assertThat(oneByOne[0]).hasSize(model.vocabulary().classes());
      assertThat(largestDifference(batched, oneByOne))
          .as("the whole answer over every activity: batched (booster) against one prefix a call (trees)")
          .isLessThan(1e-6);
    }
  }

  private static double largestDifference(float[][] expected, float[][] actual) {
    double largest = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int c = 0; c < expected[i].length; c++) {
        largest = Math.max(largest, Math.abs(expected[i][c] - actual[i][c]));
      }
    }
    return largest;
  }

  private static double largestDifference(double[][] expected, double[][] actual) {
    double largest = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int c = 0; c < expected[i].length; c++) {
        largest = Math.max(largest, Math.abs(expected[i][c] - actual[i][c]));
      }
    }
    return largest;
  }

  @Test
  void shouldGiveTheBoostersValueForARegressionWithMissingValues() {
    Random random = new Random(5);
    float[][] rows = new float[2000][6];
    float[] labels = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int f = 0; f < 6; f++) {
        rows[i][f] = random.nextDouble() < 0.15 ? Float.NaN : (float) random.nextGaussian();
      }
      labels[i] = (float) ((Float.isNaN(rows[i][0]) ? 1 : rows[i][0]) * 3 + random.nextGaussian());
    }
    Map<String, Object> params = new HashMap<>(Map.of("objective", "reg:absoluteerror", "max_depth", 4, "eta", 0.1));

    try (XgbModel model = XgbModel.train(rows, labels, null, params, 60, round -> {})) {
      TreeEnsemble trees = model.trees();
      float[][] booster = model.predict(rows);
      for (int i = 0; i < rows.length; i++) {
        assertThat((double) trees.predict(rows[i])[0]).isCloseTo(booster[i][0], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }
}
