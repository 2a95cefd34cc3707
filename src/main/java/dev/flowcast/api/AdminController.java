package dev.flowcast.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.util.Date;
import java.util.Map;
import java.util.NoSuchElementException;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
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

  AdminController(PriceCatalog catalog, ManagementService management, ObjectMapper json) {
    this.catalog = catalog;
    this.management = management;
    this.poolReader =
        json.readerFor(PoolBody.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  @GetMapping("/pools")
  Map<String, PricedPool> pools(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    requireAdmin(caller);
    return catalog.pools();
  }

  @PutMapping("/pools/{name}")
  Map<String, PricedPool> updatePool(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @PathVariable String name,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    requireAdmin(caller);
    PricedPool pool = parsePool(name, body);
    try {
      catalog.override(pool);
    } catch (NoSuchElementException e) {
      throw new BadRequestException(e.getMessage());
    }
    return catalog.pools();
  }

  @PostMapping("/queue/retry")
  Map<String, Object> retryQueuedNow(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    requireAdmin(caller);
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
    PoolBody pool;
    try {
      pool = poolReader.readValue(body);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("malformed pool: " + e.getOriginalMessage());
    }
    double[] values = {pool.vcpu(), pool.memoryMb(), pool.networkMbps(), pool.diskIops(),
        pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour()};
    for (double value : values) {
      if (value < 0 || !Double.isFinite(value)) {
        throw new BadRequestException("pool amounts, prices and rates must be zero or positive numbers");
      }
    }
    return new PricedPool(name, new ResourceDemand(pool.vcpu(), pool.memoryMb(), pool.networkMbps(), pool.diskIops()),
        pool.pricePerVcpuHour(), pool.pricePerGbHour(), pool.interruptionRatePerHour());
  }

  private static void requireAdmin(ApiUser caller) {
    if (!caller.isAdmin()) {
      throw new ForbiddenException("only members of camunda-admin may do this");
    }
  }
}
