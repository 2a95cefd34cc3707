package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 *   <li>{@code seriesAndIntents}: the same forecast plus the intents part's deviation from its
 *       typical level: for every case that has begun by the origin, the chance that its next action
 *       falls into the forecast step, given how long ago its latest action was (learned from the
 *       cases that ended within the first two thirds: which action followed which, after how long),
 *       × that action's load; weighted as it explained the series model's errors on the first two
 *       thirds.
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
    List<String> actions = new ArrayList<>();
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

    // what follows each action and after how long, from the cases that ended in the training part
    double trainSeconds = (double) trainEnd * step;
    double[] loadOfAction = new double[actions.size()];
    for (int a = 0; a < actions.size(); a++) {
      String intent = INTENT_OF_ACTION.get(actions.get(a));
      Load load = intent == null ? null : LOAD_OF_INTENT.get(intent);
      loadOfAction[a] = load == null ? 0 : scale * load.vcpu() * load.seconds() / step;
    }
    NextActionTiming timing = NextActionTiming.learn(cases.values(), trainSeconds, loadOfAction);

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
        int usable = DemandModel.firstUsable();
        double[] intents = new double[n];
        for (int t = usable; t + h < n; t++) {
          intents[t] = timing.expectedLoad((t + 1.0) * step, h, step, cases.values());
        }
        // The series model has learned the typical request load; the intents part adds how far the
        // load the active cases are about to bring differs from its typical level, weighted by what
        // such a difference explained of the model's errors on the training part (the weight with
        // the least absolute error there, as the projection is judged; 0 when it explains nothing).
        double typical = mean(intents, usable, trainEnd - h);
        List<Integer> fitList = new ArrayList<>();
        for (int t = usable; t + h < trainEnd; t++) {
          fitList.add(t);
        }
        int[] fitOrigins = fitList.stream().mapToInt(Integer::intValue).toArray();
        DemandModel.Forecast[] fitted = onTotal.forecast(totalSeries, fitOrigins, h);
        double[] fitResidual = new double[fitOrigins.length];
        double[] fitDeviation = new double[fitOrigins.length];
        for (int i = 0; i < fitOrigins.length; i++) {
          fitResidual[i] = total[fitOrigins[i] + h] - fitted[i].expected();
          fitDeviation[i] = intents[fitOrigins[i]] - typical;
        }
        double weight = weightOfLeastAbsoluteError(fitResidual, fitDeviation);
        weights.put(h * background.step().toMinutes() + "m", weight);
        double seriesError = 0;
        double combinedError = 0;
        for (int i = 0; i < origins.length; i++) {
          int t = origins[i];
          double truth = total[t + h];
          seriesError += Math.abs(truth - series[i].expected());
          combinedError += Math.abs(truth - (series[i].expected() + weight * (intents[t] - typical)));
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
   * When a case acts next and how: for each action, every later action that followed it in the
   * training cases with the time in between, and how many cases ended after it. Asked at a moment
   * some time after a case's latest action, it counts among the training transitions that had not
   * happened by then those that happened within the asked window (a hazard, not an average pace:
   * the log's gaps are seconds or days, rarely in between).
   */
  private record NextActionTiming(double[][] gaps, double[][] loadBefore, int[] ends) {

    static NextActionTiming learn(Collection<List<double[]>> cases, double trainSeconds, double[] loadOfAction) {
      int actionCount = loadOfAction.length;
      List<List<double[]>> followers = new ArrayList<>();
      int[] ends = new int[actionCount];
      for (int a = 0; a < actionCount; a++) {
        followers.add(new ArrayList<>());
      }
      for (List<double[]> path : cases) {
        if (path.get(path.size() - 1)[0] >= trainSeconds) {
          continue;
        }
        for (int i = 0; i < path.size(); i++) {
          int action = (int) path.get(i)[1];
          if (i + 1 == path.size()) {
            ends[action]++;
          } else {
            followers.get(action).add(new double[] {path.get(i + 1)[0] - path.get(i)[0], path.get(i + 1)[1]});
          }
        }
      }
      double[][] gaps = new double[actionCount][];
      double[][] loadBefore = new double[actionCount][];
      for (int a = 0; a < actionCount; a++) {
        List<double[]> list = followers.get(a);
        list.sort(Comparator.comparingDouble(pair -> pair[0]));
        gaps[a] = list.stream().mapToDouble(pair -> pair[0]).toArray();
        loadBefore[a] = new double[list.size() + 1];
        for (int i = 0; i < list.size(); i++) {
          loadBefore[a][i + 1] = loadBefore[a][i] + loadOfAction[(int) list.get(i)[1]];
        }
      }
      return new NextActionTiming(gaps, loadBefore, ends);
    }

    /** The load the cases' next actions are expected to bring in step h after {@code now} (seconds into the series). */
    double expectedLoad(double now, int h, long step, Collection<List<double[]>> cases) {
      double expected = 0;
      for (List<double[]> path : cases) {
        int last = -1;
        for (int i = 0; i < path.size() && path.get(i)[0] <= now; i++) {
          last = i;
        }
        if (last < 0) {
          continue;
        }
        int action = (int) path.get(last)[1];
        double elapsed = now - path.get(last)[0];
        double[] after = gaps[action];
        int stillToCome = after.length - firstAbove(after, elapsed);
        double notYet = stillToCome + ends[action];
        if (stillToCome == 0) {
          continue;
        }
        double[] load = loadBefore[action];
        expected += (load[firstAbove(after, elapsed + h * step)] - load[firstAbove(after, elapsed + (h - 1) * step)])
            / notYet;
      }
      return expected;
    }

    /** The index of the first gap above {@code seconds}. */
    private static int firstAbove(double[] sortedGaps, double seconds) {
      int low = 0;
      int high = sortedGaps.length;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (sortedGaps[middle] <= seconds) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }
  }

  /** The weight in [0, 5], to 0.05, by which the deviations best explain the residuals in absolute error. */
  private static double weightOfLeastAbsoluteError(double[] residual, double[] deviation) {
    double best = 0;
    double bestError = Double.MAX_VALUE;
    for (int k = 0; k <= 100; k++) {
      double w = k * 0.05;
      double error = 0;
      for (int i = 0; i < residual.length; i++) {
        error += Math.abs(residual[i] - w * deviation[i]);
      }
      if (error < bestError) {
        bestError = error;
        best = w;
      }
    }
    return best;
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / Math.max(1, to - from);
  }
}
