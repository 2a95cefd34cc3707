package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain harness (not a test): what each feature group and setting brings, measured inside the
 * training part only (the first 2/3 of the cases; its newest 20 % of cases validate), so that
 * nothing is chosen on a test part. For each log: validation top-1 of the default model, of the
 * model without each group, and of a few other settings. Run with bench/intent-ablation.sh.
 */
public final class IntentAblation {

  public static void main(String[] args) throws Exception {
    IntentModel.Settings base = IntentModel.Settings.DEFAULT;
    Map<String, IntentModel.Settings> variants = new LinkedHashMap<>();
    variants.put("default", base);
    for (IntentFeatures.Group group : base.groups()) {
      List<IntentFeatures.Group> without = new ArrayList<>(base.groups());
      without.remove(group);
      variants.put("-" + group, base.withFeatures(without));
    }
    List<IntentFeatures.Group> with = new ArrayList<>(base.groups());
    with.add(IntentFeatures.Group.MARKOV);
    variants.put("+MARKOV", base.withFeatures(with));
    IntentModel.Settings b = base;
    variants.put("window=1", new IntentModel.Settings(1, b.rounds(), b.maxDepth(), b.eta(), b.minChildWeight(), b.subsample(), b.transitionWindow(), b.maxClasses(), b.patience(), b.features()));
    variants.put("window=6", new IntentModel.Settings(6, b.rounds(), b.maxDepth(), b.eta(), b.minChildWeight(), b.subsample(), b.transitionWindow(), b.maxClasses(), b.patience(), b.features()));
    variants.put("depth=3", new IntentModel.Settings(b.window(), b.rounds(), 3, b.eta(), b.minChildWeight(), b.subsample(), b.transitionWindow(), b.maxClasses(), b.patience(), b.features()));
    variants.put("depth=8", new IntentModel.Settings(b.window(), b.rounds(), 8, b.eta(), b.minChildWeight(), b.subsample(), b.transitionWindow(), b.maxClasses(), b.patience(), b.features()));
    variants.put("lately=50", new IntentModel.Settings(b.window(), b.rounds(), b.maxDepth(), b.eta(), b.minChildWeight(), b.subsample(), 50, b.maxClasses(), b.patience(), b.features()));
    variants.put("lately=800", new IntentModel.Settings(b.window(), b.rounds(), b.maxDepth(), b.eta(), b.minChildWeight(), b.subsample(), 800, b.maxClasses(), b.patience(), b.features()));
    variants.put("classes=48", new IntentModel.Settings(b.window(), b.rounds(), b.maxDepth(), b.eta(), b.minChildWeight(), b.subsample(), b.transitionWindow(), 48, b.patience(), b.features()));
    for (String log : args) {
      List<ActivityEvent> events;
      try (Reader reader = Files.newBufferedReader(Path.of(log))) {
        events = CsvEventLogReader.read(reader, new CsvMapping("CaseID", "ActivityID", "CompleteTimestamp",
            "yyyy-MM-dd H:mm:ss", null, List.of()));
      }
      List<Session> sessions = Session.of(events);
      List<Session> training = new ArrayList<>(sessions.subList(0, (int) Math.round(sessions.size() * 2.0 / 3.0)));
      training.sort(Comparator.comparing(s -> s.times().get(0)));
      int validationSize = (int) Math.round(training.size() * IntentSelection.VALIDATION_SHARE);
      List<Session> fit = training.subList(0, training.size() - validationSize);
      List<Session> validation = training.subList(training.size() - validationSize, training.size());
      IntentSelection.Validation check = new IntentSelection.Validation(validation);
      TransitionHistory.Source history = TransitionHistory.Source.of(training);
      double markov = Math.max(check.top1(new OnlineMarkov(1, Vocabulary.of(fit), training), Vocabulary.of(fit)),
          check.top1(new OnlineMarkov(2, Vocabulary.of(fit), training), Vocabulary.of(fit)));
      System.out.printf("%s: validation top-1, best online Markov chain %.4f%n", Path.of(log).getFileName(), markov);
      double reference = Double.NaN;
      for (Map.Entry<String, IntentModel.Settings> variant : variants.entrySet()) {
        long started = System.nanoTime();
        try (IntentModel model = IntentModel.train(fit, validation, history, variant.getValue(), r -> {})) {
          double top1 = check.top1(model, model.vocabulary());
          if (Double.isNaN(reference)) {
            reference = top1;
          }
          System.out.printf("  %-10s %.4f (%+.4f)  %3d rounds  %5.1f s%n", variant.getKey(), top1, top1 - reference,
              model.bestRounds(), (System.nanoTime() - started) / 1e9);
        }
      }
    }
  }
}
