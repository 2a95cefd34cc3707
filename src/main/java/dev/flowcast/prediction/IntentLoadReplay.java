package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A replay where requests cause part of the load: the cases of an event log are users, their
 * actions requests of the demo's intents (a fixed table), their timestamps compressed onto the
 * recorded series' time span; each request adds its intent's declared load for its duration on top
 * of the recorded series (the background). Then, from every origin of the last third, three
 * projections of the total use at +5/+10/+15 minutes are scored against what it was:
 * <ul>
 *   <li>{@code series}: the learned series model on the total use, as the application trains it;
 *   <li>{@code seriesAndIntents}: the learned model on the use of everything but requests (the
 *       application knows what it started) plus the intents part: for every case active at the
 *       origin, the first-order chain's probabilities of its next action (learned on the cases that
 *       began in the first two thirds) × the chance it arrives within that step (exponential at the
 *       case's own pace) × the intent's load.
 * </ul>
 * The requests' load is scaled so that on average it is half the background's.
 */
public final class IntentLoadReplay {

  /** What the replay maps an action of the help-desk log to; other actions are unknown intents and add no load. */
  public static final Map<String, String> INTENT_OF_ACTION = Map.of(
      "1", "run-report", "8", "replicate-database", "6", "backup-database", "9", "scale-service");

  /** One intent's load while it runs: its composition's declared peak vCPU and declared duration. */
  public record Load(double vcpu, double seconds) {}

  /** The demo compositions' declared figures (spot bindings; README "The demo domain"). */
  public static final Map<String, Load> LOAD_OF_INTENT = Map.of(
      "run-report", new Load(2.0, 39), "replicate-database", new Load(2.0, 60),
      "backup-database", new Load(1.5, 45), "scale-service", new Load(4.0, 41));

  private static final String END = "";
  /** A case with no action for this long (compressed time) is not active any more. */
  private static final Duration ACTIVE_WITHIN = Duration.ofHours(1);

  /** MAE per horizon and forecaster; {@code unknownActions} were events of no known intent. */
  public record Report(Map<String, Map<String, Double>> maeByHorizon, int requests, int unknownActions,
      double requestShareOfUse, Map<String, Double> intentsWeight) {}

  private IntentLoadReplay() {}

  public static int totalRounds() {
    return DemandModel.totalRounds();
  }

  public static Report run(DemandSeries background, List<ActivityEvent> events, IntConsumer onRound) {
    double[] b = background.values();
    int n = b.length;
    int trainEnd = (int) Math.round(n * 2.0 / 3.0);
    long step = background.step().toSeconds();
    List<ActivityEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(ActivityEvent::time));
    Instant first = sorted.get(0).time();
    double logSpan = Duration.between(first, sorted.get(sorted.size() - 1).time()).toSeconds();
    double seriesSpan = (double) (n - 1) * step;
    double compression = seriesSpan / Math.max(1, logSpan);

    // the requests on the series' grid, in vCPU averaged over each step
    double[] requests = new double[n];
    int known = 0;
    int unknown = 0;
    Map<String, List<double[]>> cases = new LinkedHashMap<>(); // case -> (seconds into the series, action index)
    List<String> actions = new ArrayList<>(List.of(END));
    for (ActivityEvent event : sorted) {
      double at = Duration.between(first, event.time()).toSeconds() * compression;
      int index = actions.indexOf(event.action());
      if (index < 0) {
        actions.add(event.action());
        index = actions.size() - 1;
      }
      cases.computeIfAbsent(event.caseId(), c -> new ArrayList<>()).add(new double[] {at, index});
      String intent = INTENT_OF_ACTION.get(event.action());
      if (intent == null) {
        unknown++;
        continue;
      }
      known++;
      Load load = LOAD_OF_INTENT.get(intent);
      requests[Math.min(n - 1, (int) (at / step))] += load.vcpu() * load.seconds() / step;
    }
    double meanBackground = mean(b, 0, n);
    double meanRequests = Math.max(1e-9, mean(requests, 0, n));
    double scale = 0.5 * meanBackground / meanRequests;
    double[] total = new double[n];
    for (int t = 0; t < n; t++) {
      requests[t] *= scale;
      total[t] = b[t] + requests[t];
    }

    // the first-order chain over actions (END included), from the cases that began in the training part
    double trainSeconds = (double) trainEnd * step;
    int size = actions.size();
    double[][] chain = new double[size][size];
    for (List<double[]> path : cases.values()) {
      if (path.get(0)[0] >= trainSeconds) {
        continue;
      }
      for (int i = 0; i < path.size(); i++) {
        int next = i + 1 < path.size() ? (int) path.get(i + 1)[1] : 0;
        chain[(int) path.get(i)[1]][next]++;
      }
    }
    for (double[] row : chain) {
      double sum = 0;
      for (double count : row) {
        sum += count;
      }
      for (int j = 0; j < row.length; j++) {
        row[j] = sum == 0 ? 1.0 / row.length : row[j] / sum;
      }
    }
    double[] loadOfAction = new double[size];
    for (int a = 1; a < size; a++) {
      String intent = INTENT_OF_ACTION.get(actions.get(a));
      Load load = intent == null ? null : LOAD_OF_INTENT.get(intent);
      loadOfAction[a] = load == null ? 0 : scale * load.vcpu() * load.seconds() / step;
    }

    DemandSeries totalSeries = new DemandSeries(background.start(), background.step(), total);
    Map<String, Map<String, Double>> maeByHorizon = new LinkedHashMap<>();
    Map<String, Double> weights = new LinkedHashMap<>();
    try (DemandModel onTotal = DemandModel.train(totalSeries, trainEnd, onRound)) {
      for (int h : DemandModel.HORIZONS) {
        List<Integer> originList = new ArrayList<>();
        for (int t = trainEnd; t + h < n; t++) {
          originList.add(t);
        }
        int[] origins = originList.stream().mapToInt(Integer::intValue).toArray();
        DemandModel.Forecast[] series = onTotal.forecast(totalSeries, origins, h);
        // The series model has learned the typical request load; the intents part adds how far the
        // requests predicted now differ from it, weighted by how much such a difference explained
        // of the model's errors on the training part (least squares; 0 when it explains nothing).
        List<Integer> fitList = new ArrayList<>();
        for (int t = DemandModel.firstUsable(); t + h < trainEnd; t += 2) {
          fitList.add(t);
        }
        int[] fitOrigins = fitList.stream().mapToInt(Integer::intValue).toArray();
        double[] fitIntents = new double[fitOrigins.length];
        double typical = 0;
        for (int i = 0; i < fitOrigins.length; i++) {
          fitIntents[i] = intentsAt((fitOrigins[i] + 1.0) * step, h, step, cases, chain, loadOfAction);
          typical += fitIntents[i] / fitOrigins.length;
        }
        DemandModel.Forecast[] fitted = onTotal.forecast(totalSeries, fitOrigins, h);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < fitOrigins.length; i++) {
          double deviation = fitIntents[i] - typical;
          covariance += deviation * (total[fitOrigins[i] + h] - fitted[i].expected());
          variance += deviation * deviation;
        }
        double weight = variance == 0 ? 0 : Math.max(0, covariance / variance);
        weights.put(h * background.step().toMinutes() + "m", weight);
        double seriesError = 0;
        double combinedError = 0;
        for (int i = 0; i < origins.length; i++) {
          int t = origins[i];
          double truth = total[t + h];
          double intents = intentsAt((t + 1.0) * step, h, step, cases, chain, loadOfAction);
          seriesError += Math.abs(truth - series[i].expected());
          combinedError += Math.abs(truth - (series[i].expected() + weight * (intents - typical)));
        }
        Map<String, Double> mae = new LinkedHashMap<>();
        mae.put("series", seriesError / Math.max(1, origins.length));
        mae.put("seriesAndIntents", combinedError / Math.max(1, origins.length));
        maeByHorizon.put(h * background.step().toMinutes() + "m", mae);
      }
    }
    return new Report(maeByHorizon, known, unknown, mean(requests, 0, n) / Math.max(1e-9, mean(total, 0, n)), weights);
  }

  /**
   * The load expected in step h after {@code now} (seconds into the series) from the cases active
   * then: each one's next action by the chain, arriving in that step at the case's own pace.
   */
  private static double intentsAt(double now, int h, long step, Map<String, List<double[]>> cases, double[][] chain,
      double[] loadOfAction) {
    double expected = 0;
    for (List<double[]> path : cases.values()) {
      int last = -1;
      for (int i = 0; i < path.size() && path.get(i)[0] <= now; i++) {
        last = i;
      }
      if (last < 0 || now - path.get(last)[0] > ACTIVE_WITHIN.toSeconds()) {
        continue;
      }
      double gap = last == 0 ? ACTIVE_WITHIN.toSeconds() / 2.0
          : Math.max(60, (path.get(last)[0] - path.get(0)[0]) / last);
      double inStep = Math.exp(-(h - 1) * step / gap) - Math.exp(-h * step / gap);
      double[] next = chain[(int) path.get(last)[1]];
      for (int a = 1; a < next.length; a++) {
        expected += next[a] * inStep * loadOfAction[a];
      }
    }
    return expected;
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / Math.max(1, to - from);
  }
}
