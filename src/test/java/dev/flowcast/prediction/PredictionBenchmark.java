package dev.flowcast.prediction;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A plain benchmark harness (not a test): intent prediction on the request path, one prefix per
 * call against batches, beside the Markov baseline, measured side by side in one run and
 * repeated; prints medians and ratios. Run with bench/prediction.sh.
 */
public final class PredictionBenchmark {

  private static volatile double sink;

  public static void main(String[] args) throws Exception {
    Path log = Path.of(args.length > 0 ? args[0] : "datasets/eventlogs/helpdesk.csv");
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    HelpDeskLog split = HelpDeskLog.read(log);
    List<Session> sessions = split.sessions();
    List<Session> training = split.training();
    List<Session> prefixes = split.prefixes();
    List<Instant> at = split.at();
    System.out.printf("log %s: %d prefixes to predict, %d repetitions, %d cores%n",
        log.getFileName(), prefixes.size(), repetitions, Runtime.getRuntime().availableProcessors());
    try (IntentModel model = IntentModel.train(training, TransitionHistory.Source.of(sessions), IntentModel.Settings.DEFAULT, r -> {})) {
      SequencePredictor markov = Baselines.markov1(new Baselines.Counts(model.vocabulary(), training));
      double[] single = new double[repetitions];
      double[] batched = new double[repetitions];
      double[] baseline = new double[repetitions];
      double[] nativeSingle = new double[repetitions];
      double[] treesOnly = new double[repetitions];
      double[] boosterOnly = new double[repetitions];
      float[][] rows = model.encodedRows(prefixes, at);
      for (int warm = 0; warm < 2; warm++) {
        singleRows(model, prefixes, at);
        model.predict(prefixes, at);
      }
      for (int r = 0; r < repetitions; r++) {
        single[r] = singleRows(model, prefixes, at);
        batched[r] = batch(model, prefixes, at);
        baseline[r] = singleRows(markov, prefixes, at);
        nativeSingle[r] = nativeSingleRows(model, prefixes, at);
        treesOnly[r] = evaluatorOnly(rows, model.treesForBenchmark()::predict);
        boosterOnly[r] = evaluatorOnly(rows, row -> model.boosterForBenchmark().predict(new float[][] {row})[0]);
      }
      double singleMedian = median(single);
      double batchedMedian = median(batched);
      double baselineMedian = median(baseline);
      System.out.printf("model, one prefix per call:   median %8.2f µs per prediction (%,.0f per second)%n",
          singleMedian, 1e6 / singleMedian);
      System.out.printf("model, all prefixes per call: median %8.2f µs per prediction (%,.0f per second)%n",
          batchedMedian, 1e6 / batchedMedian);
      System.out.printf("markov1, one prefix per call: median %8.2f µs per prediction%n", baselineMedian);
      double nativeMedian = median(nativeSingle);
      System.out.printf("model through xgboost4j, one prefix per call: median %8.2f µs per prediction%n", nativeMedian);
      System.out.printf("ratio xgboost4j single / trees in Java single: %.1f%n", nativeMedian / singleMedian);
      double treesMedian = median(treesOnly);
      double boosterMedian = median(boosterOnly);
      System.out.printf("the trees alone (%d trees, features encoded beforehand), one row per call: Java %.2f µs,"
          + " xgboost4j %.2f µs, ratio %.1f%n", model.treesForBenchmark().trees(), treesMedian, boosterMedian,
          boosterMedian / treesMedian);
      System.out.printf("ratio single / batched: %.1f; ratio model single / markov1 single: %.1f%n",
          singleMedian / batchedMedian, singleMedian / baselineMedian);
    }
  }

  private static double evaluatorOnly(float[][] rows, java.util.function.Function<float[], float[]> evaluate) {
    long start = System.nanoTime();
    for (float[] row : rows) {
      sink += evaluate.apply(row)[0];
    }
    return (System.nanoTime() - start) / 1e3 / rows.length;
  }

  /** Microseconds per prediction, one native booster call per prefix (what single rows cost before the tree evaluator). */
  private static double nativeSingleRows(IntentModel model, List<Session> prefixes, List<Instant> at) {
    long start = System.nanoTime();
    for (int i = 0; i < prefixes.size(); i++) {
      sink += model.boosterOutput(List.of(prefixes.get(i)), List.of(at.get(i)))[0][0];
    }
    return (System.nanoTime() - start) / 1e3 / prefixes.size();
  }

  /** Microseconds per prediction, one call per prefix. */
  private static double singleRows(SequencePredictor predictor, List<Session> prefixes, List<Instant> at) {
    long start = System.nanoTime();
    for (int i = 0; i < prefixes.size(); i++) {
      sink += predictor.predict(List.of(prefixes.get(i)), List.of(at.get(i)))[0][0];
    }
    return (System.nanoTime() - start) / 1e3 / prefixes.size();
  }

  private static double batch(SequencePredictor predictor, List<Session> prefixes, List<Instant> at) {
    long start = System.nanoTime();
    sink += predictor.predict(prefixes, at)[0][0];
    return (System.nanoTime() - start) / 1e3 / prefixes.size();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
