package dev.flowcast.adaptive;

import java.time.Duration;

/**
 * How long one component's steps take: observed once there are enough runs, declared before.
 *
 * @param samples completed runs the figures come from (0: declared figures)
 * @param typical the mean duration (the declared one before there is history)
 * @param p95 the 95th percentile (the declared duration before there is history)
 * @param threshold past this a running step is slow: max(slow factor × p95, p95 + minimum overrun)
 * @param longestRunning the longest any of its steps has run without completing: running now, or
 *     cancelled lately (zero: none)
 * @param expected what the composer counts on: {@code typical}, or while a running step is past
 *     the threshold, twice its running time (a run already that long is expected to take about
 *     as long again)
 */
public record ComponentTimes(
    String component, int samples, Duration typical, Duration p95, Duration threshold, Duration longestRunning,
    Duration expected) {

  public boolean degraded() {
    return longestRunning.compareTo(threshold) > 0;
  }
}
