package dev.flowcast.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One Flowcast node in a process of its own (the test's class path, profile postgres and demo,
 * job executor on), spoken to over HTTP on loopback, and killed with SIGKILL when a test says so.
 */
final class ClusterNode implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String name;
  final int port;
  private final Process process;
  private final Path log;

  private ClusterNode(String name, int port, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts a node and waits until it answers (at most {@code startTimeout}). */
  static ClusterNode start(String name, String databaseUrl, Path folder, Duration startTimeout, String... settings)
      throws IOException, InterruptedException {
    int port = freePort();
    Files.createDirectories(folder);
    Path log = folder.resolve(name + ".log");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:TieredStopAtLevel=1",
        "-cp", classPath, "dev.flowcast.FlowcastApplication",
        "--server.port=" + port, "--server.address=127.0.0.1",
        "--spring.profiles.active=postgres,demo,cluster-node",
        "--spring.datasource.url=" + databaseUrl,
        "--spring.datasource.username=flowcast", "--spring.datasource.password=flowcast",
        "--flowcast.components.location=file:task-components/",
        // the steady machine it measures: the application scans no test classes
        "--spring.main.sources=" + ClusterNodeMachine.class.getName()));
    command.addAll(List.of(settings));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ClusterNode node = new ClusterNode(name, port, process, log);
    Instant deadline = Instant.now().plus(startTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " ended while starting; see " + log);
      }
      try {
        if (node.get("demo", "/actuator/health").statusCode() == 200) {
          return node;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    node.close();
    throw new IllegalStateException(name + " did not start within " + startTimeout + "; see " + log);
  }

  HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
    return send(user, "GET", path, null);
  }

  HttpResponse<String> post(String user, String path, String body) throws IOException, InterruptedException {
    return send(user, "POST", path, body);
  }

  HttpResponse<String> send(String user, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + user).getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(HttpResponse<String> answer) throws IOException {
    return JSON.readTree(answer.body());
  }

  /** SIGKILL: no shutdown hook runs, the node's locks and its jobs' locks stay behind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
