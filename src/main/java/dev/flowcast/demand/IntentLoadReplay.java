package dev.flowcast.demand;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.arrivals.NextActionTiming;
import dev.flowcast.resources.DemandForecaster;
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
 *   <li>{@code trend}: the least-squares line through the last measurements, as the monitor runs it;
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


  /**
   * Per horizon ({@code 5m} ...) and forecaster ({@code trend}, {@code series}, {@code
   * seriesAndIntents}) its scores; {@code unknownActions} were events of no known intent.
   */
  public record Report(Map<String, Map<String, ProjectionEvaluation.Scores>> horizons, int requests,
      int unknownActions, double requestShareOfUse, Map<String, Double> intentsWeight) {}

  private IntentLoadReplay() {}

  public static int totalRounds() {
    return DemandModel.totalRounds();
  }

  public static Report run(DemandSeries background, List<ActivityEvent> events, int trendPoints,
      IntConsumer onRound) {
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
    Map<String, List<ActivityEvent>> cases = new LinkedHashMap<>(); // on the series' clock: seconds from the epoch
    for (ActivityEvent event : sorted) {
      double at = Duration.between(first, event.time()).toSeconds() * compression;
      cases.computeIfAbsent(event.caseId(), c -> new ArrayList<>()).add(new ActivityEvent(
          Instant.ofEpochMilli(Math.round(at * 1000)), event.user(), event.action(), event.caseId(), null, null));
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
    Instant trainedUntil = Instant.ofEpochSecond(trainEnd * step);
    List<ActivityEvent> learnedFrom = new ArrayList<>();
    cases.values().stream().filter(path -> path.get(path.size() - 1).time().isBefore(trainedUntil))
        .forEach(learnedFrom::addAll);
    NextActionTiming timing = NextActionTiming.learn(learnedFrom, trainedUntil, action -> {
      Load load = LOAD_OF_INTENT.get(INTENT_OF_ACTION.getOrDefault(action, ""));
      return load == null ? 0 : scale * load.vcpu() * load.seconds() / step;
    });

    DemandSeries totalSeries = new DemandSeries(background.start(), background.step(), total);
    Map<String, Map<String, ProjectionEvaluation.Scores>> horizons = new LinkedHashMap<>();
    DemandForecaster trend = DemandForecaster.trend(1.645);
    Map<String, Double> weights = new LinkedHashMap<>();
    try (DemandModel onTotal = DemandModel.train(totalSeries, trainEnd, onRound)) {
      for (int h : DemandModel.HORIZONS) {
        List<Integer> originList = new ArrayList<>();
        for (int t = Math.max(trainEnd, trendPoints); t + h < n; t++) {
          originList.add(t);
        }
        int[] origins = originList.stream().mapToInt(Integer::intValue).toArray();
        DemandModel.Forecast[] series = onTotal.forecast(totalSeries, origins, h);
        int usable = DemandModel.firstUsable();
        double[] intents = new double[n];
        for (int t = usable; t + h < n; t++) {
          intents[t] = expectedLoad(timing, (t + 1) * step, h, step, cases.values());
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
        double combinedError = 0;
        for (int i = 0; i < origins.length; i++) {
          int t = origins[i];
          combinedError += Math.abs(total[t + h] - (series[i].expected() + weight * (intents[t] - typical)));
        }
        Map<String, ProjectionEvaluation.Scores> scores =
            ProjectionEvaluation.scoreTrendAndSeries(totalSeries, onTotal, trend, origins, series, h, trendPoints);
        scores.put("seriesAndIntents", new ProjectionEvaluation.Scores(combinedError / Math.max(1, origins.length), null));
        horizons.put(h * background.step().toMinutes() + "m", scores);
      }
    }
    return new Report(horizons, known, unknown, mean(requests, 0, n) / Math.max(1e-9, mean(total, 0, n)), weights);
  }

  /** The load the cases' next actions are expected to bring in step h after {@code now} (seconds on the series' clock). */
  private static double expectedLoad(NextActionTiming timing, long now, int h, long step,
      Collection<List<ActivityEvent>> cases) {
    Instant at = Instant.ofEpochSecond(now);
    double expected = 0;
    for (List<ActivityEvent> path : cases) {
      ActivityEvent last = null;
      for (int i = 0; i < path.size() && !path.get(i).time().isAfter(at); i++) {
        last = path.get(i);
      }
      if (last != null) {
        double elapsed = Duration.between(last.time(), at).toMillis() / 1000.0;
        expected += timing.valueWithin(last.action(), elapsed, (h - 1) * step, h * step);
      }
    }
    return expected;
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
