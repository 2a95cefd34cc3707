package dev.flowcast.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Interruption notices for capacity pools (a spot pool whose machines are being taken back): raised
 * by an operator through the REST API or by a monitor of the cloud's notices, each for a while.
 * While a notice stands, the pool offers no free capacity, so nothing new is planned into it, and
 * the adaptive component moves running instances' steps out of it.
 */
public class InterruptionSignals {

  /** One notice: until when, and why. */
  public record Notice(String pool, Instant raisedAt, Instant until, String reason) {}

  private final Map<String, Notice> notices = new ConcurrentHashMap<>();

  public Notice raise(String pool, Duration lasting, String reason, Instant now) {
    Notice notice = new Notice(pool, now, now.plus(lasting), reason);
    notices.put(pool, notice);
    return notice;
  }

  /** @return whether a notice stood for the pool */
  public boolean clear(String pool) {
    return notices.remove(pool) != null;
  }

  public Map<String, Notice> active(Instant now) {
    notices.values().removeIf(n -> !n.until().isAfter(now));
    return new TreeMap<>(notices);
  }

  public Set<String> activePools(Instant now) {
    return active(now).keySet().stream().collect(Collectors.toSet());
  }
}
