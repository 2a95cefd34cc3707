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
 *
 * <p>System properties: {@code only} (row names, comma-separated: the default and those rows);
 * {@code fold=k} (an earlier split: the 20 % of the training cases k fifths before the newest
 * validate, those older fit, the newer are unused; fold=1: the oldest 60 % fit, the next 20 %
 * validate), a second look at a difference that may be noise, and at older periods; {@code order=file} (validate on the
 * last 20 % of the training cases in file order rather than by start); {@code blend=true} (the
 * default model's probabilities mixed with an online chain's, weights 0.1–0.6); {@code seeds=N}
 * (the average of the default model trained with N seeds); {@code past=fit} (the models, the
 * stacked model's chains included, read the past of the fitting cases only, as {@code evaluate}'s
 * published setting reads the training part only).
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
    for (int depth : new int[] {3, 4}) {
      variants.put("+MARKOV/depth=" + depth, with(base.stacked(), "depth", depth));
    }
    variants.put("window=1", with(base, "window", 1));
    variants.put("window=6", with(base, "window", 6));
    for (int depth : new int[] {3, 4, 5, 6, 8}) {
      variants.put("depth=" + depth, with(base, "depth", depth));
    }
    variants.put("eta=0.05", with(with(with(base, "eta", 0.05), "rounds", 600), "patience", 30));
    variants.put("eta=0.2", with(base, "eta", 0.2));
    variants.put("mcw=1", with(base, "minChildWeight", 1));
    variants.put("mcw=5", with(base, "minChildWeight", 5));
    variants.put("subsample=0.7", with(base, "subsample", 0.7));
    variants.put("patience=40", with(base, "patience", 40));
    variants.put("lately=20", with(base, "lately", 20));
    variants.put("lately=30", with(base, "lately", 30));
    variants.put("lately=30/depth=4", with(with(base, "lately", 30), "depth", 4));
    variants.put("lately=200", with(base, "lately", 200));
    variants.put("classes=48", with(base, "classes", 48));
    List<IntentFeatures.Group> repeats = new ArrayList<>(base.groups());
    repeats.add(IntentFeatures.Group.REPEATS);
    variants.put("+REPEATS", base.withFeatures(repeats));
    // rows to run: a comma-separated list of names in the system property "only" (all when unset)
    String only = System.getProperty("only");
    if (only != null) {
      List<String> names = List.of(only.split(","));
      variants.keySet().removeIf(name -> !name.equals("default") && !names.contains(name));
    }
    for (String log : args) {
      List<ActivityEvent> events;
      try (Reader reader = Files.newBufferedReader(Path.of(log))) {
        events = CsvEventLogReader.read(reader, new CsvMapping("CaseID", "ActivityID", "CompleteTimestamp",
            "yyyy-MM-dd H:mm:ss", null, List.of()));
      }
      List<Session> sessions = Session.of(events);
      List<Session> training = new ArrayList<>(sessions.subList(0, (int) Math.round(sessions.size() * 2.0 / 3.0)));
      if (!"file".equals(System.getProperty("order"))) {
        training.sort(Comparator.comparing(s -> s.times().get(0)));
      }
      int validationSize = (int) Math.round(training.size() * IntentSelection.VALIDATION_SHARE);
      // -Dfold=k: an earlier split, k fifths before the newest (fold=1: the oldest 60 % fit, the next 20 % validate)
      int end = training.size() - Integer.getInteger("fold", 0) * validationSize;
      List<Session> fit = training.subList(0, end - validationSize);
      List<Session> validation = training.subList(end - validationSize, end);
      training = training.subList(0, end);
      IntentSelection.Validation check = new IntentSelection.Validation(validation);
      // -Dpast=fit: the models read the fitting cases' past only, as the published setting reads the training part
      TransitionHistory.Source history = TransitionHistory.Source.of("fit".equals(System.getProperty("past")) ? fit : training);
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
          if (variant.getKey().equals("default") && Boolean.getBoolean("blend")) {
            blend(check, model, training, reference);
          }
        }
      }
      int members = Integer.getInteger("seeds", 0);
      if (members > 1) {
        long started = System.nanoTime();
        double[][] sum = null;
        Vocabulary vocabulary = null;
        for (int m = 0; m < members; m++) {
          try (IntentModel model = IntentModel.train(fit, validation, history, base, XgbModel.SEED + m, r -> {})) {
            double[][] p = check.predictions(model);
            vocabulary = model.vocabulary();
            if (sum == null) {
              sum = p;
            } else {
              for (int i = 0; i < p.length; i++) {
                for (int c = 0; c < p[i].length; c++) {
                  sum[i][c] += p[i][c];
                }
              }
            }
            double top1 = check.top1(sum, vocabulary);
            System.out.printf("  seeds=%d    %.4f (%+.4f)  %5.1f s%n", m + 1, top1, top1 - reference,
                (System.nanoTime() - started) / 1e9);
          }
        }
      }
    }
  }

  /** The settings with one value changed. */
  private static IntentModel.Settings with(IntentModel.Settings b, String name, double value) {
    int whole = (int) value;
    return new IntentModel.Settings(
        name.equals("window") ? whole : b.window(),
        name.equals("rounds") ? whole : b.rounds(),
        name.equals("depth") ? whole : b.maxDepth(),
        name.equals("eta") ? value : b.eta(),
        name.equals("minChildWeight") ? value : b.minChildWeight(),
        name.equals("subsample") ? value : b.subsample(),
        name.equals("lately") ? whole : b.transitionWindow(),
        name.equals("classes") ? whole : b.maxClasses(),
        name.equals("patience") ? whole : b.patience(),
        b.features());
  }

  /** The default model's probabilities mixed with an online chain's, for a few weights of the chain. */
  private static void blend(IntentSelection.Validation check, IntentModel model, List<Session> training, double reference) {
    double[][] p = check.predictions(model);
    for (int order = 1; order <= 2; order++) {
      double[][] q = check.predictions(new OnlineMarkov(order, model.vocabulary(), training));
      StringBuilder line = new StringBuilder("  blend markov" + order + ":");
      for (double w : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}) {
        double[][] mixed = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
          mixed[i] = new double[p[i].length];
          for (int c = 0; c < p[i].length; c++) {
            mixed[i][c] = (1 - w) * p[i][c] + w * q[i][c];
          }
        }
        line.append(String.format(" w=%.1f %+.4f", w, check.top1(mixed, model.vocabulary()) - reference));
      }
      System.out.println(line);
    }
  }
}
