package dev.flowcast.api;

import dev.flowcast.capacity.CapacityStatus;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The elastic pools' sizes. {@code GET /capacity/pools} is also what KEDA's {@code metrics-api}
 * scaler reads: {@code valueLocation: pools.<pool>.desiredUnits}. Pool sizes are not anyone's
 * own: every authenticated user reads them.
 */
@RestController
class CapacityController {

  static final Duration MAX_HISTORY = Duration.ofDays(7);

  private final CapacityStatus status;
  private final DecisionLog decisions;
  private final Clock clock;

  CapacityController(CapacityStatus status, DecisionLog decisions, Clock clock) {
    this.status = status;
    this.decisions = decisions;
    this.clock = clock;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/capacity/pools")
  Map<String, Object> pools() {
    Map<String, Object> pools = new LinkedHashMap<>();
    for (CapacityStatus.PoolState pool : status.pools()) {
      pools.put(pool.pool(), pool);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("provider", status.provider());
    answer.put("planner", status.planner());
    answer.put("acting", status.acting());
    answer.put("pools", pools);
    return answer;
  }

  /** Each elastic pool's size over the last {@code hours}, from the planner's SCALE decisions. */
  @GetMapping(value = ApiConfiguration.API_PATH + "/capacity/history.svg", produces = "image/svg+xml")
  String history(@RequestParam(defaultValue = "6") double hours) {
    if (!(hours > 0) || hours > MAX_HISTORY.toHours()) {
      throw new BadRequestException("hours must be more than 0 and at most " + MAX_HISTORY.toHours());
    }
    Instant now = clock.instant();
    Instant since = now.minusMillis((long) (hours * 3_600_000));
    List<Decision> scaled = decisions.find(
        new DecisionQuery(null, null, null, Decision.Kind.SCALE, since, DecisionQuery.MAX_LIMIT));
    return CapacitySvg.draw(status.pools(), scaled, since, now);
  }
}
