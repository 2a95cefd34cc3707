package dev.flowcast.simulation;

import dev.flowcast.activity.CsvMapping;
import java.nio.file.Path;

/**
 * Where a replay reads its workload and which stretch it replays.
 *
 * @param windowStart where the replayed window begins, as a share of the log's events in time order
 * @param requests how many events of the log are replayed, each one request
 * @param speedup the log's gaps between events are divided by this
 * @param seriesSpeedup the resource series runs this many times faster than the replay
 * @param peakLoad the share of every pool that the series' highest value takes
 * @param mapping which columns of the log hold the case, the activity and the time
 */
public record ReplaySource(Path log, Path series, double windowStart, int requests, double speedup, double seriesSpeedup,
    double peakLoad, CsvMapping mapping) {

  /** A log in the help-desk log's columns. */
  public ReplaySource(Path log, Path series, double windowStart, int requests, double speedup, double seriesSpeedup,
      double peakLoad) {
    this(log, series, windowStart, requests, speedup, seriesSpeedup, peakLoad, CsvMapping.TAX_ET_AL);
  }

  public ReplaySource {
    if (!(windowStart >= 0 && windowStart < 1)) {
      throw new IllegalArgumentException("--window-start must be at least 0 and below 1");
    }
    if (requests < 1) {
      throw new IllegalArgumentException("--requests must be at least 1");
    }
    if (!(speedup > 0) || !(seriesSpeedup > 0)) {
      throw new IllegalArgumentException("--speedup and --series-speedup must be positive");
    }
    if (!(peakLoad >= 0 && peakLoad < 1)) {
      throw new IllegalArgumentException("--peak-load must be at least 0 and below 1");
    }
  }
}
