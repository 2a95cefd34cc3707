package dev.flowcast.queue;

import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import java.util.Date;

/**
 * Whose turn it is to be composed again, among the queued requests whose retry timer fires: only
 * the {@code flowcast.queue.retries-per-tick} requests with the earliest deadlines, and none once
 * that many have found no room in this tick (a {@code flowcast.queue.retry-interval} of this node's
 * clock). So when capacity frees up, the queue drains in deadline order instead of every queued
 * request composing at once and contending for the pools' locks; while there is room nothing holds
 * it back (each start pulls the next turn forward, {@link QueuePull}), and when there is none the
 * tries that find none are bounded per tick. A request whose turn it is not waits for its next
 * timer without composing (nothing is logged, nothing reserved).
 */
final class QueueTurns {

  private final QueuedRequests queued;
  private final FlowcastProperties.Queue settings;
  private final Clock clock;
  private long tick = Long.MIN_VALUE;
  private int missed;

  QueueTurns(QueuedRequests queued, FlowcastProperties.Queue settings, Clock clock) {
    this.queued = queued;
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether the request with this deadline is composed now. */
  boolean take(Date deadline) {
    if (!triesLeftInThisTick()) {
      return false; // the tick's tries found no room: no need to rank the request
    }
    // outside the monitor: the rank is a query, and the job executor's threads may run it at once
    return queued.earlierThan(deadline) < settings.retriesPerTick();
  }

  private synchronized boolean triesLeftInThisTick() {
    rollTick();
    return missed < settings.retriesPerTick();
  }

  /** A request whose turn it was found no room: one of this tick's tries that may find none. */
  synchronized void missed() {
    rollTick();
    missed++;
  }

  private void rollTick() {
    long now = clock.millis() / settings.retryInterval().toMillis();
    if (now != tick) {
      tick = now;
      missed = 0;
    }
  }
}
