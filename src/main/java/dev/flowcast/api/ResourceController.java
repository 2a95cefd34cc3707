package dev.flowcast.api;

import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.Projection;
import dev.flowcast.resources.ResourceKind;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /flowcast/api/resources/profile}: what the composer plans with, now. */
@RestController
class ResourceController {

  private final ResourceMonitor monitor;
  private final PriceCatalog catalog;
  private final Clock clock;
  private final InterruptionSignals interruptions;

  ResourceController(ResourceMonitor monitor, PriceCatalog catalog, Clock clock, InterruptionSignals interruptions) {
    this.interruptions = interruptions;
    this.monitor = monitor;
    this.catalog = catalog;
    this.clock = clock;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/resources/profile")
  Map<String, Object> profile() {
    ResourceProfile profile = monitor.profile(clock.instant());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("at", profile.at().toString());
    answer.put("stale", profile.freshness().stale());
    answer.put("sampleAgeSeconds", profile.freshness().sampleAge().toMillis() / 1000.0);
    answer.put("source", profile.freshness().source());
    answer.put("forecaster", profile.freshness().forecaster());
    answer.put("problem", profile.freshness().problem());
    Map<String, Object> kinds = new LinkedHashMap<>();
    for (ResourceKind kind : ResourceKind.values()) {
      if (profile.kinds().containsKey(kind)) {
        kinds.put(kind.key(), kind(kind, profile.kinds().get(kind)));
      }
    }
    answer.put("kinds", kinds);
    Map<String, InterruptionSignals.Notice> notices = interruptions.active(profile.at());
    answer.put("pools", profile.pools().values().stream().map(pool -> pool(pool, notices.get(pool.name()))).toList());
    Map<String, Object> prices = new LinkedHashMap<>();
    prices.put("source", catalog.current().source());
    prices.put("currency", catalog.current().currency());
    prices.put("loadedAt", catalog.current().loadedAt().toString());
    prices.put("overriddenPools", catalog.current().overridden());
    prices.put("lastProblem", catalog.lastProblem());
    answer.put("catalog", prices);
    return answer;
  }

  private static Map<String, Object> kind(ResourceKind kind, ResourceProfile.KindProfile measured) {
    Map<String, Object> projected = new LinkedHashMap<>();
    for (Map.Entry<Duration, Projection> horizon : measured.projectedAvailable().entrySet()) {
      Map<String, Object> at = new LinkedHashMap<>();
      at.put("expected", horizon.getValue().expected());
      at.put("upper", horizon.getValue().upper());
      ResourceProfile.UseParts parts = measured.projectedParts().get(horizon.getKey());
      if (parts != null) {
        // what the projected use is made of: available = capacity - (series + intents - releases)
        at.put("parts", Map.of("series", parts.series(), "intents", parts.intents(), "releases", parts.releases()));
      }
      projected.put(horizon.getKey().toMinutes() + "m", at);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("unit", kind.unit());
    answer.put("capacity", measured.capacity());
    answer.put("available", measured.available());
    answer.put("projected", projected);
    answer.put("freeShare", measured.freeShare());
    return answer;
  }

  private static Map<String, Object> pool(PoolCapacity pool, InterruptionSignals.Notice notice) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("name", pool.name());
    answer.put("pricePerVcpuHour", pool.pricePerVcpuHour());
    answer.put("pricePerGbHour", pool.pricePerGbHour());
    answer.put("interruptionRatePerHour", pool.interruptionRatePerHour());
    answer.put("capacity", pool.capacity());
    answer.put("available", pool.available());
    // what is projected free in the pool at each horizon ("available" is the least of now and these)
    Map<String, Object> projected = new LinkedHashMap<>();
    pool.projectedAvailable().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(horizon -> projected.put(horizon.getKey().toMinutes() + "m", horizon.getValue()));
    answer.put("projected", projected);
    answer.put("interruptionNotice", notice);
    return answer;
  }

}
