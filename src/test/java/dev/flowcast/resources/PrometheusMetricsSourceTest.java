package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import dev.flowcast.IdleMachine;
import dev.flowcast.RequiredTool;
import dev.flowcast.config.FlowcastProperties;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Prometheus source against a real Prometheus server (Debian's package, which {@code .ci/run}
 * installs), started here on a loopback port and scraping this application's
 * {@code /actuator/prometheus}. The queries read the application's own gauges, so the expected
 * values are known ({@link IdleMachine}).
 */
@FlowcastTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricsSourceTest {

  @LocalServerPort int appPort;
  @Autowired ObjectMapper json;

  private Process prometheus;
  private String prometheusUrl;

  @BeforeAll
  void startPrometheus(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
    Path binary = findPrometheus();
    int port = freePort();
    Path config = folder.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: flowcast
            metrics_path: /actuator/prometheus
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(appPort));
    prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + folder.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(folder.resolve("prometheus.log").toFile())
        .start();
    prometheusUrl = "http://127.0.0.1:" + port;
    awaitFirstScrape();
  }

  @AfterAll
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldReadEveryQuantityFromPrometheus() {
    ResourceSample sample = source(prometheusUrl).sample();

    assertThat(sample.cpuCapacity()).isEqualTo(IdleMachine.CORES);
    assertThat(sample.cpuUsed()).isCloseTo(IdleMachine.CORES * 0.1, within(1e-6));
    assertThat(sample.memoryCapacityMb()).isCloseTo(32_768, within(1e-6));
    assertThat(sample.memoryUsedMb()).isCloseTo(32_768 - 29_491.2, within(1e-3));
    assertThat(sample.diskReadsPerSecond()).as("a scalar answer").isEqualTo(3000);
    assertThat(sample.networkInBytesPerSecond()).as("an empty vector").isZero();
  }

  @Test
  void shouldSayWhatPrometheusRefused() {
    PrometheusMetricsSource source = source(prometheusUrl);

    assertThatThrownBy(() -> source.query("sum(flowcast_resource_capacity{kind=\"cpu\"}"))
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("Prometheus refused")
        .hasMessageContaining("parse error");
  }

  @Test
  void shouldFailClearlyWhenPrometheusIsDown() throws IOException {
    PrometheusMetricsSource source = source("http://127.0.0.1:" + freePort());

    assertThatThrownBy(source::sample)
        .isInstanceOf(MetricsSource.MetricsUnavailableException.class)
        .hasMessageContaining("unreachable");
  }

  private PrometheusMetricsSource source(String url) {
    FlowcastProperties.Prometheus queries = new FlowcastProperties.Prometheus(url, Duration.ofSeconds(5),
        "sum(flowcast_resource_capacity{kind=\"cpu\"})",
        "sum(flowcast_resource_capacity{kind=\"cpu\"}) - sum(flowcast_resource_available{kind=\"cpu\"})",
        "sum(flowcast_resource_capacity{kind=\"memory\"}) * 1048576",
        "(sum(flowcast_resource_capacity{kind=\"memory\"}) - sum(flowcast_resource_available{kind=\"memory\"})) * 1048576",
        "sum(rate(no_such_metric_total[1m]))",
        "vector(0)",
        "vector(0)",
        "vector(0)",
        "scalar(sum(flowcast_resource_capacity{kind=\"disk\"}))",
        "vector(0)");
    return new PrometheusMetricsSource(queries, 1000, 3000, json, Clock.systemUTC());
  }

  private void awaitFirstScrape() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      try {
        String body = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl
                + "/api/v1/query?query=flowcast_resource_capacity")).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains("\"kind\":\"cpu\"")) {
          return;
        }
      } catch (IOException notYetListening) {
        // Prometheus is still starting
      }
      assertThat(prometheus.isAlive()).as("prometheus is running").isTrue();
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus did not scrape the application within 60 s");
  }

  /** Debian's prometheus, which .ci/run installs; on a developer machine without it the test is skipped. */
  private static Path findPrometheus() {
    for (String candidate : new String[] {System.getenv("FLOWCAST_PROMETHEUS"), "/usr/bin/prometheus", "/usr/local/bin/prometheus"}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    RequiredTool.require(false,
        "no prometheus binary here: apt-get install prometheus (.ci/run installs it), or set FLOWCAST_PROMETHEUS");
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
