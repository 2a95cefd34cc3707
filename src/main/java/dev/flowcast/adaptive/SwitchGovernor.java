package dev.flowcast.adaptive;

import dev.flowcast.config.FlowcastProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps switching calm, whatever the policy says: an instance must be found degraded on
 * {@code confirmations} consecutive checks (the count starts again only once the degradation
 * falls below {@code clear-below} of its threshold: hysteresis), not within {@code cooldown} of
 * its last switch attempt, and never more than {@code max-switches} times.
 */
class SwitchGovernor {

  enum Verdict { ALL_WELL, CONFIRMING, COOLING_DOWN, AT_LIMIT, SWITCH }

  /** What the decision log says of an instance's earlier switches. */
  record History(int switches, Instant lastAttempt) {
    static final History NONE = new History(0, null);
  }

  private final FlowcastProperties.Adaptive settings;
  private final Map<String, Integer> confirmations = new ConcurrentHashMap<>();

  SwitchGovernor(FlowcastProperties.Adaptive settings) {
    this.settings = settings;
  }

  /** @param severity the strongest degradation found at this check (0 when none) */
  Verdict judge(String processInstanceId, double severity, History history, Instant now) {
    int confirmed = confirmations.getOrDefault(processInstanceId, 0);
    if (severity >= 1.0) {
      confirmed++;
    } else if (severity < settings.clearBelow()) {
      confirmed = 0;
    }
    if (confirmed == 0) {
      confirmations.remove(processInstanceId);
      return Verdict.ALL_WELL;
    }
    confirmations.put(processInstanceId, confirmed);
    if (severity < 1.0 || confirmed < settings.confirmations()) {
      return Verdict.CONFIRMING;
    }
    if (history.switches() >= settings.maxSwitches()) {
      return Verdict.AT_LIMIT;
    }
    if (history.lastAttempt() != null && history.lastAttempt().plus(settings.cooldown()).isAfter(now)) {
      return Verdict.COOLING_DOWN;
    }
    confirmations.remove(processInstanceId);
    return Verdict.SWITCH;
  }

  /** Forgets instances that are no longer running. */
  void retainOnly(Set<String> running) {
    confirmations.keySet().retainAll(running);
  }
}
