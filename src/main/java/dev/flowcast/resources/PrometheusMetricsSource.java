package dev.flowcast.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.config.FlowcastProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A cluster's measurements from a Prometheus server's HTTP query API ({@code /api/v1/query}), one
 * PromQL expression per quantity (see {@code flowcast.resources.prometheus.*}); a vector answer
 * is summed over its series. Rates come from PromQL's own {@code rate()} over counters.
 */
class PrometheusMetricsSource implements MetricsSource {

  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  private final FlowcastProperties.Prometheus settings;
  private final double diskCapacityIops;
  private final double networkCapacityMbps;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Clock clock;

  PrometheusMetricsSource(
      FlowcastProperties.Prometheus settings, double networkCapacityMbps, double diskCapacityIops,
      ObjectMapper json, Clock clock) {
    this.settings = settings;
    this.networkCapacityMbps = networkCapacityMbps;
    this.diskCapacityIops = diskCapacityIops;
    this.json = json;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public ResourceSample sample() {
    return new ResourceSample(
        clock.instant(),
        query(settings.cpuCapacity()),
        query(settings.cpuUsed()),
        query(settings.memoryCapacityBytes()) / BYTES_PER_MB,
        query(settings.memoryUsedBytes()) / BYTES_PER_MB,
        networkCapacityMbps,
        query(settings.networkInBytesPerSecond()),
        query(settings.networkOutBytesPerSecond()),
        diskCapacityIops,
        query(settings.diskReadBytesPerSecond()),
        query(settings.diskWriteBytesPerSecond()),
        query(settings.diskReadsPerSecond()),
        query(settings.diskWritesPerSecond()));
  }

  /** The sum of the answer's values; an empty answer (no series yet) counts as zero. */
  double query(String promql) {
    URI uri = URI.create(settings.url().replaceAll("/+$", "") + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MetricsUnavailableException("Prometheus at " + settings.url() + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsUnavailableException("interrupted while querying Prometheus", e);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new MetricsUnavailableException("Prometheus answered " + response.statusCode() + " with no JSON", e);
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new MetricsUnavailableException(
          "Prometheus refused '" + promql + "': " + body.path("error").asText("HTTP " + response.statusCode()), null);
    }
    JsonNode data = body.path("data");
    return switch (data.path("resultType").asText()) {
      case "scalar" -> value(data.path("result"));
      case "vector" -> {
        double sum = 0;
        for (JsonNode series : data.path("result")) {
          sum += value(series.path("value"));
        }
        yield sum;
      }
      default -> throw new MetricsUnavailableException(
          "Prometheus answered '" + promql + "' with a " + data.path("resultType").asText() + ", not a vector", null);
    };
  }

  /** A sample value is [timestamp, "number"]; NaN (e.g. a rate over one point) counts as zero. */
  private static double value(JsonNode pair) {
    double value = Double.parseDouble(pair.path(1).asText("0"));
    return Double.isFinite(value) ? value : 0.0;
  }
}
