package dev.flowcast.demand;

import dev.flowcast.prediction.ModelRegistry;
import dev.flowcast.resources.ResourceHistory;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Trains the demand model of every resource kind from this node's measured history (the sampler's
 * 1-minute averages in {@code flowcast_resource_sample}), resampled to the model's step, and stores
 * the models as one version of kind {@code demand} in the registry. A kind with less history than
 * {@code minimumPoints} steps is not trained: the forecaster keeps the trend for it, and says why.
 */
public class DemandTrainer {

  public static final String KIND = "demand";
  static final Duration STEP = Duration.ofMinutes(5);

  /** Not enough measured history to train on. */
  public static final class NotEnoughHistoryException extends RuntimeException {
    NotEnoughHistoryException(String message) {
      super(message);
    }
  }

  private final ResourceHistory history;
  private final ModelRegistry registry;
  private final Duration window;
  private final int minimumPoints;
  private final Clock clock;
  private final Runnable onStored;

  /** @param onStored called once a new version is stored (the node's forecaster loads it) */
  public DemandTrainer(ResourceHistory history, ModelRegistry registry, Duration window, int minimumPoints, Clock clock,
      Runnable onStored) {
    this.onStored = onStored;
    this.history = history;
    this.registry = registry;
    this.window = window;
    this.minimumPoints = minimumPoints;
    this.clock = clock;
  }

  /** Trains and stores a new version; synchronized: one training at a time on a node. */
  public synchronized ModelRegistry.StoredModel train(IntConsumer onRound) {
    Instant to = clock.instant();
    Instant from = to.minus(window);
    List<ResourceSample> samples = history.since(ResourceHistory.Resolution.MINUTE, from);
    Map<ResourceKind, DemandSeries> series = new LinkedHashMap<>();
    for (ResourceKind kind : ResourceKind.values()) {
      series.put(kind, seriesOf(samples, kind, STEP));
    }
    int points = series.values().stream().mapToInt(s -> s == null ? 0 : s.length()).max().orElse(0);
    if (points < minimumPoints) {
      throw new NotEnoughHistoryException("only " + points + " points of " + STEP.toMinutes()
          + " minutes measured since " + from + "; at least " + minimumPoints + " are needed");
    }
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("stepSeconds", STEP.toSeconds());
    description.put("points", points);
    description.put("kinds", series.keySet().stream().map(ResourceKind::key).toList());
    Map<String, Double> capacity = new LinkedHashMap<>();
    ResourceSample last = samples.get(samples.size() - 1);
    series.keySet().forEach(kind -> capacity.put(kind.key(), last.capacity(kind)));
    description.put("capacityAtTraining", capacity);
    int[] done = {0};
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<ResourceKind, DemandSeries> entry : series.entrySet()) {
        int base = done[0];
        try (DemandModel model = DemandModel.train(entry.getValue(), entry.getValue().length(),
            round -> onRound.accept(base + round))) {
          zip.putNextEntry(new ZipEntry(entry.getKey().key() + ".zip"));
          zip.write(model.toBytes());
          zip.closeEntry();
        }
        done[0] += DemandModel.totalRounds();
      }
      zip.finish();
      ModelRegistry.StoredModel stored = registry.save(KIND, from, to, points, description, bytes.toByteArray());
      onStored.run();
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Boosting rounds of one training, for a progress bar. */
  public static long totalRounds() {
    return (long) DemandModel.totalRounds() * ResourceKind.values().length;
  }

  /** One kind's used amount on a regular grid of {@code step}; null without two samples. */
  static DemandSeries seriesOf(List<ResourceSample> samples, ResourceKind kind, Duration step) {
    if (samples.size() < 2) {
      return null;
    }
    List<DemandSeries.Point> points = new ArrayList<>(samples.size());
    for (ResourceSample sample : samples) {
      points.add(new DemandSeries.Point(sample.at(), sample.used(kind)));
    }
    return DemandSeries.resample(points, step);
  }
}
