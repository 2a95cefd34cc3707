package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
    List<ActivityEvent> events;
    try (Reader reader = Files.newBufferedReader(Path.of("../shared/data/eventlogs/helpdesk.csv"))) {
      events = CsvEventLogReader.read(reader, CsvMapping.TAX_ET_AL);
    }
    List<Session> sessions = Session.of(events);
    List<Session> training = sessions.subList(0, sessions.size() * 2 / 3);
    List<Session> prefixes = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    for (Session session : sessions.subList(sessions.size() * 2 / 3, sessions.size())) {
      for (int length = 2; length <= session.length(); length++) {
        prefixes.add(session.prefix(length));
        at.add(session.times().get(length - 1));
      }
    }

    try (IntentModel model = IntentModel.train(training, TransitionHistory.Source.of(sessions),
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
