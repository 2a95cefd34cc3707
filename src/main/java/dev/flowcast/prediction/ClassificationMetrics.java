package dev.flowcast.prediction;

/**
 * Accumulates next-action metrics: top-1 and top-3 accuracy, log loss and expected calibration
 * error (10 equal-width bins of top-1 confidence).
 */
final class ClassificationMetrics {

  private static final int BINS = 10;
  private static final double FLOOR = 1e-15;

  private long count;
  private long top1;
  private long top3;
  private double logLoss;
  private final double[] binConfidence = new double[BINS];
  private final double[] binCorrect = new double[BINS];
  private final long[] binCount = new long[BINS];

  void add(double[] distribution, int truth) {
    count++;
    int best = 0;
    int rank = 0;
    for (int c = 0; c < distribution.length; c++) {
      if (distribution[c] > distribution[best]) {
        best = c;
      }
    }
    double truthProbability = truth < distribution.length ? distribution[truth] : 0.0;
    for (int c = 0; c < distribution.length; c++) {
      if (c != truth && (distribution[c] > truthProbability || (distribution[c] == truthProbability && c < truth))) {
        rank++;
      }
    }
    if (truth >= distribution.length) {
      rank = Integer.MAX_VALUE;
    }
    if (rank == 0) {
      top1++;
    }
    if (rank < 3) {
      top3++;
    }
    logLoss -= Math.log(Math.max(FLOOR, truthProbability));
    double confidence = distribution[best];
    int bin = Math.min(BINS - 1, (int) (confidence * BINS));
    binConfidence[bin] += confidence;
    binCorrect[bin] += rank == 0 ? 1 : 0;
    binCount[bin]++;
  }

  long count() {
    return count;
  }

  double top1() {
    return count == 0 ? 0 : (double) top1 / count;
  }

  double top3() {
    return count == 0 ? 0 : (double) top3 / count;
  }

  double logLoss() {
    return count == 0 ? 0 : logLoss / count;
  }

  double expectedCalibrationError() {
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      if (binCount[b] > 0) {
        ece += Math.abs(binCorrect[b] - binConfidence[b]) / count;
      }
    }
    return ece;
  }
}
