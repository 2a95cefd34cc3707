package dev.flowcast.queue;

import dev.flowcast.config.FlowcastProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

/**
 * Whose turn it is to be composed again, among the queued requests whose retry timer fires: only
 * the {@code flowcast.queue.retries-per-tick} requests with the earliest deadlines, and none once
 * that many have found no room in this tick (a {@code flowcast.queue.retry-interval} of this node's
 * clock). So when capacity frees up, the queue drains in deadline order instead of every queued
 * request composing at once and contending for the pools' locks; while there is room nothing holds
 * it back (each start pulls the next turn forward, {@link QueuePull}), and when there is none the
 * tries that find none are bounded per tick. A request whose turn it is not waits without composing
 * (nothing is logged, nothing reserved), and for as many ticks as the requests ahead of it need to
 * take their turns at the bound per tick: behind 24,000 others it does not look again every tick, so
 * the queue's timers fire about {@code retries-per-tick × ln(queued ÷ retries-per-tick)} times a
 * tick rather than once per queued request.
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

  /**
   * How many ticks the request with this deadline waits before it looks again: 0 when it is composed
   * now, else at least one, one more for each {@code retries-per-tick} requests with earlier deadlines.
   */
  long ticksToWait(Date deadline) {
    // outside the monitor: the rank is a query, and the job executor's threads may run it at once
    long ahead = queued.earlierThan(deadline);
    if (ahead < settings.retriesPerTick() && triesLeftInThisTick()) {
      return 0;
    }
    return Math.max(1, ahead / settings.retriesPerTick());
  }

  /** The wait of so many ticks, but not past the deadline, when the request expires instead. */
  Duration waitOf(long ticks, Date deadline) {
    Duration untilDeadline = Duration.ofSeconds(
        Math.max(1, (deadline.getTime() - clock.millis() + 999) / 1000));
    Duration wait = settings.retryInterval().multipliedBy(ticks);
    return wait.compareTo(untilDeadline) < 0 ? wait : untilDeadline;
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
