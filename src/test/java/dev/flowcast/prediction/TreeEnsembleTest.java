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
 * the help-desk log (the intent model, softmax over its classes) and on a regression with missing
 * values (the demand models).
 */
class TreeEnsembleTest {

  @Test
  void shouldGiveTheBoostersProbabilitiesOnEveryTestPrefixOfTheHelpDeskLog() throws Exception {
    HelpDeskLog log = HelpDeskLog.read(Path.of("../shared/data/eventlogs/helpdesk.csv"));
    List<Session> prefixes = log.prefixes();
    List<Instant> at = log.at();

    try (IntentModel model = IntentModel.train(log.training(), TransitionHistory.Source.of(log.sessions()),
        IntentModel.Settings.DEFAULT, round -> {})) {
      float[][] booster = model.boosterOutput(prefixes, at);
      float[][] trees = model.treeOutput(prefixes, at);

      assertThat(trees).hasSameDimensionsAs(booster);
      double largest = 0;
      for (int i = 0; i < booster.length; i++) {
        for (int c = 0; c < booster[i].length; c++) {
          largest = Math.max(largest, Math.abs(booster[i][c] - trees[i][c]));
        }
      }
      assertThat(prefixes).hasSizeGreaterThan(3000);
      assertThat(largest).as("largest difference over %d prefixes", prefixes.size()).isLessThan(1e-6);
    }
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
