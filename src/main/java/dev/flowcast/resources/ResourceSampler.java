package dev.flowcast.resources;

import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Samples the metrics source on a schedule ({@code flowcast.resources.sample-interval}), keeps
 * the recent window in memory for projections, stores every sample and a 1-minute average, and
 * prunes old rows. A failing source leaves the last good sample in place, with its age.
 */
class ResourceSampler implements ResourceSampling {

  private static final Logger log = LoggerFactory.getLogger(ResourceSampler.class);

  /** What the monitor needs to know: the recent good samples and whether the source works now. */
  record State(List<ResourceSample> recent, String source, String problem, Instant problemSince) {
    ResourceSample lastGood() {
      return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }
  }

  private final MetricsSource source;
  private final ResourceHistory history;
  private final FlowcastProperties.Resources settings;
  private final Clock clock;
  private final Deque<ResourceSample> recent = new ArrayDeque<>();
  private final List<ResourceSample> currentMinute = new ArrayList<>();
  private volatile State state;
  private Instant lastPrune = Instant.EPOCH;

  ResourceSampler(MetricsSource source, ResourceHistory history, FlowcastProperties.Resources settings, Clock clock) {
    this.source = source;
    this.history = history;
    this.settings = settings;
    this.clock = clock;
    this.state = new State(List.of(), source.name(), null, null);
  }

  State state() {
    return state;
  }

  @Scheduled(
      initialDelayString = "${flowcast.resources.sample-interval:PT5S}",
      fixedDelayString = "${flowcast.resources.sample-interval:PT5S}")
  void scheduledSample() {
    sampleNow();
  }

  @Override
  public synchronized void sampleNow() {
    ResourceSample sample;
    try {
      sample = source.sample();
    } catch (MetricsSource.MetricsUnavailableException e) {
      if (state.problem() == null) {
        log.warn("FLOWCAST-040 metrics source {} failed, keeping the last good sample: {}", source.name(), e.getMessage());
      }
      state = new State(state.recent(), source.name(), e.getMessage(),
          state.problemSince() == null ? clock.instant() : state.problemSince());
      return;
    }
    if (state.problem() != null) {
      log.info("FLOWCAST-041 metrics source {} answers again", source.name());
    }
    recent.addLast(sample);
    Instant windowStart = sample.at().minus(settings.trendWindow());
    while (recent.size() > 1 && recent.peekFirst().at().isBefore(windowStart)) {
      recent.removeFirst();
    }
    state = new State(List.copyOf(recent), source.name(), null, null);
    keep(sample);
  }

  private void keep(ResourceSample sample) {
    try {
      history.store(sample, ResourceHistory.Resolution.RAW);
      if (!currentMinute.isEmpty()
          && !currentMinute.get(0).at().truncatedTo(ChronoUnit.MINUTES).equals(sample.at().truncatedTo(ChronoUnit.MINUTES))) {
        history.store(ResourceHistory.average(currentMinute), ResourceHistory.Resolution.MINUTE);
        currentMinute.clear();
      }
      currentMinute.add(sample);
      if (sample.at().isAfter(lastPrune.plus(1, ChronoUnit.HOURS))) {
        int raw = history.prune(ResourceHistory.Resolution.RAW, sample.at().minus(settings.rawRetention()));
        int minutes = history.prune(ResourceHistory.Resolution.MINUTE, sample.at().minus(settings.downsampledRetention()));
        lastPrune = sample.at();
        log.debug("FLOWCAST-042 pruned {} raw and {} 1-minute resource rows", raw, minutes);
      }
    } catch (RuntimeException e) {
      // the measurement still counts for the profile; only its record is lost
      log.warn("FLOWCAST-043 could not store a resource sample: {}", e.getMessage());
    }
  }
}
