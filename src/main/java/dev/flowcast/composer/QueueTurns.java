package dev.flowcast.composer;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import java.time.Clock;
import java.util.Date;
import org.camunda.bpm.engine.RuntimeService;

/**
 * Whose turn it is to be composed again, among the queued requests whose retry timer fires: only
 * the {@code flowcast.queue.retries-per-tick} requests with the earliest deadlines, and no more
 * than that many compositions in one tick (a {@code flowcast.queue.retry-interval} of this node's
 * clock). So when capacity frees up, the queue drains in deadline order, a tick at a time, instead
 * of every queued request composing at once and contending for the capacity lock. A request whose
 * turn it is not waits for its next timer without composing (nothing is logged, nothing reserved).
 */
final class QueueTurns {

  private final RuntimeService runtime;
  private final FlowcastProperties.Queue settings;
  private final Clock clock;
  private long tick = Long.MIN_VALUE;
  private int taken;

  QueueTurns(RuntimeService runtime, FlowcastProperties.Queue settings, Clock clock) {
    this.runtime = runtime;
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether the request with this deadline is composed now; if so, it uses one of this tick's retries. */
  synchronized boolean take(Date deadline) {
    long earlier = runtime.createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE)
        .variableValueLessThan(ProcessVariables.DEADLINE, deadline).count();
    if (earlier >= settings.retriesPerTick()) {
      return false;
    }
    long now = clock.millis() / settings.retryInterval().toMillis();
    if (now != tick) {
      tick = now;
      taken = 0;
    }
    if (taken >= settings.retriesPerTick()) {
      return false;
    }
    taken++;
    return true;
  }
}
