package dev.flowcast.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.flowcast.capacity.CapacityStatus;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.NoSuchElementException;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' endpoints (members of {@code camunda-admin} only): change a pool's capacity or prices
 * at run time (until the price catalog file next changes), and let queued requests try again now
 * instead of at their next timer.
 */
@RestController
@RequestMapping(ApiConfiguration.API_PATH + "/admin")
class AdminController {

  /** The body of {@code PUT /admin/pools/{name}}. */
  record PoolBody(
      double vcpu, double memoryMb, double networkMbps, double diskIops,
      double pricePerVcpuHour, double pricePerGbHour, double interruptionRatePerHour) {}

  private final PriceCatalog catalog;
  private final ManagementService management;
  private final ObjectReader poolReader;
  private final ObjectReader interruptionReader;
  private final ObjectReader elasticityReader;
  private final InterruptionSignals interruptions;
  private final CapacityStatus capacity;
  private final Clock clock;

  /** A spot interruption notice gives about two minutes. */
  static final Duration DEFAULT_NOTICE = Duration.ofMinutes(2);
  static final Duration MAX_NOTICE = Duration.ofDays(1);

  AdminController(PriceCatalog catalog, ManagementService management, ObjectMapper json,
      InterruptionSignals interruptions, CapacityStatus capacity, Clock clock) {
    this.catalog = catalog;
    this.capacity = capacity;
    this.management = management;
    this.interruptions = interruptions;
    this.clock = clock;
    this.interruptionReader = JsonProblems.strict(json).readerFor(InterruptionBody.class)
        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // absent fields are null here and defaulted or refused by name below
    this.elasticityReader = JsonProblems.strict(json).readerFor(ElasticityBody.class)
        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.poolReader =
        JsonProblems.strict(json).readerFor(PoolBody.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  @GetMapping("/pools")
  Map<String, PricedPool> pools(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    return catalog.pools();
  }

  @PutMapping(path = "/pools/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, PricedPool> updatePool(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @PathVariable String name,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    PricedPool pool = parsePool(name, body);
    PricedPool current = catalog.pools().get(name);
    if (current != null) {
      pool = pool.withElasticity(current.elasticity()); // changed through its own endpoint
    }
    try {
      catalog.override(pool);
    } catch (NoSuchElementException e) {
      // as for an interruption notice: the pool named in the path is not there
      throw new NotFoundException(e.getMessage());
    }
    return catalog.pools();
  }

  /** What one unit of an elastic pool holds. */
  record UnitBody(Double vcpu, Double memoryMb, Double networkMbps, Double diskIops) {}

  /**
   * The body of {@code PUT /admin/pools/{name}/elasticity}: unit and maxUnits required, the rest
   * as the price catalog defaults them; durations in ISO-8601 ({@code PT90S}).
   */
  record ElasticityBody(UnitBody unit, Integer minUnits, Integer maxUnits, String leadTime, String leadTimeJitter,
      String billingMinimum, String scaleInDelay, Double refusalRate, String interruptionNotice) {}

  /** Makes a pool elastic, or changes how it grows, until the price catalog file next changes. */
  @PutMapping(path = "/pools/{name}/elasticity", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, PricedPool> updateElasticity(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @PathVariable String name,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    PricedPool current = catalog.pools().get(name);
    if (current == null) {
      throw new NotFoundException("unknown pool '" + name + "', known: " + catalog.pools().keySet());
    }
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send the pool's unit {vcpu, memoryMb} and maxUnits at least");
    }
    Elasticity elasticity = ElasticityRequests.parse(JsonProblems.object(elasticityReader, body, "elasticity"));
    capacity.unitMismatch(name, elasticity.unit()).ifPresent(reason -> {
      throw new BadRequestException("'unit' " + reason + " (flowcast.capacity.provider=" + capacity.provider() + ")");
    });
    catalog.override(current.withElasticity(elasticity));
    return catalog.pools();
  }

  /** The body of {@code POST /admin/pools/{name}/interruption}; both fields optional. */
  record InterruptionBody(Long seconds, String reason) {}

  /** An interruption notice for a pool: nothing new is planned into it, running steps move out. */
  @PostMapping(path = "/pools/{name}/interruption", consumes = MediaType.APPLICATION_JSON_VALUE)
  InterruptionSignals.Notice interrupt(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @PathVariable String name,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    if (!catalog.pools().containsKey(name)) {
      throw new NotFoundException("no pool '" + name + "' in the price catalog; pools: " + catalog.pools().keySet());
    }
    InterruptionBody notice = new InterruptionBody(null, null);
    if (body != null && !body.isBlank()) {
      notice = JsonProblems.object(interruptionReader, body, "interruption notice");
    }
    long seconds = notice.seconds() == null ? DEFAULT_NOTICE.toSeconds() : notice.seconds();
    if (seconds < 1 || seconds > MAX_NOTICE.toSeconds()) {
      throw new BadRequestException("seconds must be between 1 and " + MAX_NOTICE.toSeconds());
    }
    try {
      return interruptions.raise(name, Duration.ofSeconds(seconds),
          notice.reason() == null ? "raised by " + caller.id() : notice.reason(), clock.instant());
    } catch (IllegalArgumentException e) {
      // the notice refused what it cannot keep, before changing anything
      throw new BadRequestException(e.getMessage());
    }
  }

  @DeleteMapping("/pools/{name}/interruption")
  Map<String, Object> endInterruption(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @PathVariable String name) {
    caller.requireAdmin();
    if (!interruptions.clear(name)) {
      throw new NotFoundException("no interruption notice stands for pool '" + name + "'");
    }
    return Map.of("pool", name, "cleared", true);
  }

  @GetMapping("/interruptions")
  Map<String, InterruptionSignals.Notice> interruptions(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    return interruptions.active(clock.instant());
  }

  @PostMapping("/queue/retry")
  Map<String, Object> retryQueuedNow(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    int retried = 0;
    for (Job timer : management.createJobQuery().processDefinitionKey(ProcessKeys.QUEUE).timers().list()) {
      management.setJobDuedate(timer.getId(), new Date());
      retried++;
    }
    return Map.of("queuedRequestsDue", retried);
  }

  private PricedPool parsePool(String name, String body) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send the pool's vcpu, memoryMb, networkMbps, diskIops,"
          + " pricePerVcpuHour, pricePerGbHour and interruptionRatePerHour");
    }
    PoolBody pool = JsonProblems.object(poolReader, body, "pool");
    double[] values = {pool.vcpu(), pool.memoryMb(), pool.networkMbps(), pool.diskIops(),
        pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour()};
    for (double value : values) {
      if (value < 0 || !Double.isFinite(value)) {
        throw new BadRequestException("pool amounts, prices and rates must be zero or positive numbers");
      }
    }
    try {
      return new PricedPool(name, new ResourceDemand(pool.vcpu(), pool.memoryMb(), pool.networkMbps(), pool.diskIops()),
          pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }
}
