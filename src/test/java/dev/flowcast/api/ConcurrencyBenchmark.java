package dev.flowcast.api;

import static dev.flowcast.BenchmarkApplication.median;
import static dev.flowcast.BenchmarkApplication.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.BenchmarkApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain benchmark harness (not a test): concurrent composition requests over HTTP on loopback.
 * The whole application runs in this process (H2 in memory, demo profile, a steady measured
 * machine, job executor off so that the instances' own work does not compete with the requests);
 * {@code clients} threads send {@code requests} {@code POST /flowcast/api/requests} in all, every
 * intent in turn, as two users; repeated, and each round reported with requests per second,
 * p50/p99 latency and the answers by status; after each round its instances are deleted (not
 * timed), so that every round starts with nothing running, as a node whose instances end does. Two settings: pools with room for every request
 * (the path that starts instances), and the catalog's pools, which fill and make most requests
 * queue. Each setting is warmed up first ({@code warm-up} rounds, not reported): the throughput of a
 * fresh JVM still climbed by half from the second to the fifth round after a single one. Run with
 * bench/concurrency.sh.
 */
public final class ConcurrencyBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] INTENTS = {"run-report", "scale-service", "backup-database", "replicate-database"};
  private static final String[] USERS = {"alice", "demo"};

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    try (ConfigurableApplicationContext context = BenchmarkApplication.start("concurrency", true)) {
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
      Client client = new Client(port, context.getBean(RuntimeService.class));
      System.out.printf("%d requests from %d clients per round, %d rounds after %d warm-up rounds, %d cores%n",
          requests, clients, repetitions, warmUp, Runtime.getRuntime().availableProcessors());
      JsonNode catalogPools = JSON.readTree(client.send("demo", "GET", "/flowcast/api/admin/pools", null).body());
      roomForAll(client, catalogPools, 1_000_000);
      rounds("room for every request", client, requests, clients, repetitions, warmUp);
      roomForAll(client, catalogPools, 1);
      rounds("the catalog's pools (most requests queue)", client, requests, clients, repetitions, warmUp);
    }
  }

  /** Sets every pool to the catalog's capacity times {@code factor}, prices unchanged. */
  private static void roomForAll(Client client, JsonNode pools, double factor) throws Exception {
    for (Map.Entry<String, JsonNode> pool : pools.properties()) {
      JsonNode p = pool.getValue();
      JsonNode capacity = p.get("capacity");
      String body = String.format(java.util.Locale.ROOT,
          "{\"vcpu\": %f, \"memoryMb\": %f, \"networkMbps\": %f, \"diskIops\": %f, \"pricePerVcpuHour\": %s,"
              + " \"pricePerGbHour\": %s, \"interruptionRatePerHour\": %s}",
          capacity.get("vcpu").asDouble() * factor, capacity.get("memoryMb").asDouble() * factor,
          capacity.get("networkMbps").asDouble() * factor, capacity.get("diskIops").asDouble() * factor,
          p.get("pricePerVcpuHour"), p.get("pricePerGbHour"), p.get("interruptionRatePerHour"));
      HttpResponse<String> answer = client.send("demo", "PUT", "/flowcast/api/admin/pools/" + pool.getKey(), body);
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("pool " + pool.getKey() + ": " + answer.statusCode() + " " + answer.body());
      }
    }
  }

  private static void rounds(String setting, Client client, int requests, int clients, int repetitions, int warmUp)
      throws Exception {
    System.out.println(setting + ":");
    for (int w = 0; w < warmUp; w++) {
      round(client, requests, clients);
    }
    double[] throughput = new double[repetitions];
    double[] p50 = new double[repetitions];
    double[] p99 = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      Round result = round(client, requests, clients);
      throughput[r] = result.perSecond;
      p50[r] = percentile(result.latencies, 50);
      p99[r] = percentile(result.latencies, 99);
      System.out.printf("  round %d: %.1f requests/s, p50 %.0f ms, p99 %.0f ms, answers %s%n",
          r + 1, throughput[r], p50[r], p99[r], result.statuses);
    }
    System.out.printf("  median of %d rounds: %.1f requests/s, p50 %.0f ms, p99 %.0f ms%n",
        repetitions, median(throughput), median(p50), median(p99));
  }

  private record Round(double perSecond, double[] latencies, Map<String, Integer> statuses) {}

  /** One round, timed; then its instances are deleted (not timed), releasing what they hold. */
  private static Round round(Client client, int requests, int clients) throws InterruptedException {
    double[] latencies = new double[requests];
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
          long sent = System.nanoTime();
          String status;
          try {
            HttpResponse<String> answer = client.send(USERS[n % USERS.length], "POST", "/flowcast/api/requests",
                "{\"intent\": \"" + INTENTS[n % INTENTS.length] + "\"}");
            status = answer.statusCode() == 201
                ? JSON.readTree(answer.body()).path("status").asText()
                : String.valueOf(answer.statusCode());
          } catch (Exception e) {
            status = e.getClass().getSimpleName();
          }
          latencies[n] = (System.nanoTime() - sent) / 1e6;
          statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Integer> counted = new TreeMap<>();
    statuses.forEach((status, count) -> counted.put(status, count.intValue()));
    List<String> running = client.runtime().createProcessInstanceQuery().rootProcessInstances().list().stream()
        .map(ProcessInstance::getId).toList();
    client.runtime().deleteProcessInstances(running, "benchmark round ended", false, true);
    return new Round(requests / seconds, latencies, counted);
  }

  /** HTTP basic as the demo users (password = user id); the engine, to clear up after a round. */
  private record Client(int port, HttpClient http, RuntimeService runtime) {
    Client(int port, RuntimeService runtime) {
      this(port, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), runtime);
    }

    HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(60))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
