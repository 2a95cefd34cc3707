package dev.flowcast.demand;

import dev.flowcast.prediction.ModelRegistry;
import dev.flowcast.prediction.PredictionException;
import dev.flowcast.resources.DemandForecaster;
import dev.flowcast.resources.Projection;
import dev.flowcast.resources.ResourceHistory;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceSample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects use with the newest demand model of the registry (shared by every node), from this
 * node's measured history (the last hours of 1-minute averages, then the newest raw samples), on
 * the model's grid; a projection never exceeds the machine's capacity now, whatever machine the
 * model was trained on. The trend answers for a kind without a model, when the model cannot be
 * loaded, or while there is too little recent history for the model's features, and the name in
 * the profile says which and why.
 */
class LearnedDemandForecaster implements DemandForecaster {

  private static final Logger log = LoggerFactory.getLogger(LearnedDemandForecaster.class);
  /** The recent history a forecast needs: the longest window of the features, and some slack. */
  private static final Duration HISTORY = Duration.ofHours(4);
  private static final Duration SERIES_CACHE = Duration.ofSeconds(5);

  private record Loaded(int version, Map<ResourceKind, DemandModel> models, String problem) {
    static final Loaded NONE = new Loaded(0, Map.of(), "no demand model yet");
  }

  private record CachedSeries(Instant readAt, List<ResourceSample> minutes) {}

  private final DemandForecaster trend;
  private final ModelRegistry registry;
  private final ResourceHistory history;
  private final Clock clock;
  private volatile Loaded loaded = Loaded.NONE;
  /** A version that could not be loaded is not tried again (nor reported again) until a newer one comes. */
  private volatile int refused;
  private final Map<String, CachedSeries> cache = new ConcurrentHashMap<>();
  private final Map<String, OnlineWidening> widenings = new ConcurrentHashMap<>();
  /** The profile asks on every request; the answer only changes with a new sample. */
  private final Map<String, Projection> answered = new ConcurrentHashMap<>();

  LearnedDemandForecaster(DemandForecaster trend, ModelRegistry registry, ResourceHistory history, Clock clock) {
    this.trend = trend;
    this.registry = registry;
    this.history = history;
    this.clock = clock;
  }

  @Override
  public String name() {
    Loaded current = loaded;
    return current.problem() == null ? "xgboost v" + current.version() : "trend (" + current.problem() + ")";
  }

  @Override
  public Projection projectUse(ResourceKind kind, List<ResourceSample> recent, Duration horizon) {
    DemandModel model = loaded.models().get(kind);
    int steps = (int) (horizon.toSeconds() / DemandTrainer.STEP.toSeconds());
    if (model == null || steps < 1 || horizon.toSeconds() % DemandTrainer.STEP.toSeconds() != 0) {
      return trend.projectUse(kind, recent, horizon);
    }
    ResourceSample newest = recent.get(recent.size() - 1);
    String question = kind + "+" + horizon + "@" + newest.at() + "/" + loaded.version();
    Projection known = answered.get(question);
    if (known != null) {
      return known;
    }
    if (answered.size() > 64) {
      answered.clear();
    }
    List<ResourceSample> samples = new ArrayList<>(minutes());
    Instant lastStored = samples.isEmpty() ? Instant.MIN : samples.get(samples.size() - 1).at();
    recent.stream().filter(s -> s.at().isAfter(lastStored)).forEach(samples::add);
    DemandSeries series = DemandTrainer.seriesOf(samples, kind, DemandTrainer.STEP);
    if (series == null || series.length() <= DemandModel.firstUsable()) {
      return trend.projectUse(kind, recent, horizon); // too little recent history for the features
    }
    int origin = series.length() - 1;
    DemandModel.Forecast forecast = model.forecast(series, new int[] {origin}, steps)[0];
    // the upper bound adapts to how its earlier forecasts turned out, on the model's grid
    long originStep = series.timeAt(origin).getEpochSecond() / DemandTrainer.STEP.toSeconds();
    OnlineWidening widening = widenings.computeIfAbsent(kind.key() + "+" + steps,
        key -> new OnlineWidening(DemandModel.UPPER_QUANTILE));
    widening.learn(originStep, step -> valueAt(series, step));
    double upper = forecast.upper() + widening.current() * model.unitAt(series, origin);
    widening.forecastMade(originStep, originStep + steps, upper);
    double capacity = newest.capacity(kind);
    double expected = clamp(forecast.expected(), capacity);
    Projection projection = new Projection(expected, Math.max(expected, clamp(upper, capacity)));
    answered.put(question, projection);
    return projection;
  }

  /** Loads the newest demand model if it is newer than the one in force. */
  synchronized void reload() {
    ModelRegistry.StoredModel newest = registry.newest(DemandTrainer.KIND).orElse(null);
    Loaded current = loaded;
    if (newest == null || newest.version() == current.version() || newest.version() == refused) {
      return;
    }
    try {
      Map<ResourceKind, DemandModel> models = read(registry.bytes(newest.id()));
      current.models().values().forEach(DemandModel::close);
      loaded = new Loaded(newest.version(), models, null);
      widenings.clear();
      log.info("FLOWCAST-055 demand model v{} loaded for {}", newest.version(), models.keySet());
    } catch (PredictionException e) {
      refused = newest.version();
      String problem = "demand model v" + newest.version() + " cannot be loaded: " + e.getMessage();
      if (current.models().isEmpty()) {
        loaded = new Loaded(newest.version(), Map.of(), problem);
      }
      log.error("FLOWCAST-056 {}; {}", problem, current.models().isEmpty() ? "the trend projects"
          : "demand model v" + current.version() + " keeps projecting");
    }
  }

  private List<ResourceSample> minutes() {
    CachedSeries cached = cache.get("minutes");
    Instant now = clock.instant();
    if (cached == null || cached.readAt().plus(SERIES_CACHE).isBefore(now)) {
      cached = new CachedSeries(now, history.since(ResourceHistory.Resolution.MINUTE, now.minus(HISTORY)));
      cache.put("minutes", cached);
    }
    return cached.minutes();
  }

  private static Map<ResourceKind, DemandModel> read(byte[] bytes) {
    Map<ResourceKind, DemandModel> models = new EnumMap<>(ResourceKind.class);
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String key = entry.getName().replace(".zip", "");
        for (ResourceKind kind : ResourceKind.values()) {
          if (kind.key().equals(key)) {
            models.put(kind, DemandModel.fromBytes(zip.readAllBytes()));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      models.values().forEach(DemandModel::close);
      throw e instanceof PredictionException p ? p : new PredictionException("not a demand model: " + e.getMessage(), e);
    }
    if (models.isEmpty()) {
      throw new PredictionException("no model of any resource kind in it", null);
    }
    return models;
  }

  /** The series' value at a step of the model's grid (seconds since the epoch / step), NaN outside it. */
  private static double valueAt(DemandSeries series, long step) {
    long index = (step * DemandTrainer.STEP.toSeconds() - series.start().getEpochSecond()) / series.step().toSeconds();
    return index < 0 || index >= series.length() ? Double.NaN : series.values()[(int) index];
  }

  private static double clamp(double value, double capacity) {
    return Math.max(0, Math.min(capacity, value));
  }
}
