package dev.flowcast.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain benchmark harness (not a test): the same bounded load of composition requests against one
 * node and against two nodes on one PostgreSQL database, loopback only; prints requests per second
 * and latency percentiles of each, medians of repetitions. Run with bench/cluster.sh.
 */
public final class ClusterThroughputBenchmark {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    try (Connection connection = DriverManager.getConnection(url, "flowcast", "flowcast");
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema public cascade");
      statement.execute("create schema public");
    }
    Path folder = Path.of("target", "cluster-bench");
    try (ClusterNode a = ClusterNode.start("bench-a", url, folder, Duration.ofMinutes(4), TwoNodeClusterTest.SETTINGS);
        ClusterNode b = ClusterNode.start("bench-b", url, folder, Duration.ofMinutes(4), TwoNodeClusterTest.SETTINGS)) {
      load(List.of(a, b), 40, clients); // warm both
      List<double[]> one = new ArrayList<>();
      List<double[]> two = new ArrayList<>();
      for (int r = 0; r < repetitions; r++) {
        one.add(load(List.of(a), requests, clients));
        two.add(load(List.of(a, b), requests, clients));
      }
      System.out.printf("%d requests from %d clients, %d repetitions, %d cores%n", requests, clients, repetitions,
          Runtime.getRuntime().availableProcessors());
      report("one node ", one);
      report("two nodes", two);
      System.out.printf("ratio two ÷ one (requests/s): %.2f%n", median(two, 0) / median(one, 0));
    }
  }

  /** Requests per second, p50 and p95 in ms, of one bounded round spread over the nodes. */
  private static double[] load(List<ClusterNode> nodes, int requests, int clients) throws Exception {
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    String[] intents = {"run-report", "scale-service", "backup-database", "replicate-database"};
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
          ClusterNode node = nodes.get(n % nodes.size());
          long sent = System.nanoTime();
          try {
            HttpResponse<String> answer = node.post("alice", "/flowcast/api/requests",
                "{\"intent\": \"" + intents[n % intents.length] + "\"}");
            if (answer.statusCode() != 201) {
              refused.incrementAndGet();
            }
          } catch (Exception e) {
            refused.incrementAndGet();
          }
          latencies.add((System.nanoTime() - sent) / 1e6);
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    if (refused.get() > 0) {
      System.out.printf("  (%d requests not answered 201)%n", refused.get());
    }
    return new double[] {requests / seconds, sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95))};
  }

  private static void report(String name, List<double[]> runs) {
    System.out.printf("%s: median %.1f requests/s, p50 %.0f ms, p95 %.0f ms (runs: %s)%n", name, median(runs, 0),
        median(runs, 1), median(runs, 2), runs.stream().map(r -> String.format("%.1f/s", r[0])).toList());
  }

  private static double median(List<double[]> runs, int index) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(r[index]));
    Collections.sort(values);
    return values.get(values.size() / 2);
  }
}
