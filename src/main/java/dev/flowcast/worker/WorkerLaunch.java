package dev.flowcast.worker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * How this application starts a worker process: its own Java, running {@link WorkerProcess} on the
 * class path of {@code flowcast.workers.local.class-path}, or by default the application's own. A
 * worker needs nothing of the application but Flowcast's starter and its dependencies, so it never
 * runs the application's main: on a plain class path it runs {@link WorkerProcess} directly; in
 * Spring Boot's executable jar, whose classes are nested, through the jar's
 * {@code PropertiesLauncher} with {@code loader.main} (Spring Boot's documented way to run another
 * main of an executable jar).
 */
final class WorkerLaunch {

  /** How long the check at start-up waits for a trial worker process: bounded, and generous on a busy machine. */
  static final Duration CHECK_PATIENCE = Duration.ofMinutes(2);
  private static final String BOOT_LOADER = "org.springframework.boot.loader.";

  private final WorkerProperties.Local settings;

  WorkerLaunch(WorkerProperties.Local settings) {
    this.settings = settings;
  }

  /** The command that starts a worker process with these arguments. */
  List<String> command(List<String> arguments) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + settings.heapMb() + "m", "-XX:TieredStopAtLevel=1"));
    String classPath = classPath();
    Optional<String> bootLauncher = propertiesLauncherOf(classPath);
    if (bootLauncher.isPresent()) {
      command.addAll(List.of("-Dloader.main=" + WorkerProcess.class.getName(), "-cp", classPath, bootLauncher.get()));
    } else {
      command.addAll(List.of("-cp", classPath, WorkerProcess.class.getName()));
    }
    command.addAll(arguments);
    return command;
  }

  /** The class path the workers get: the setting's, or this application's own. */
  String classPath() {
    return settings.classPath().isBlank() ? System.getProperty("java.class.path") : settings.classPath();
  }

  /**
   * Why a worker process cannot start here, if it cannot: a trial process with {@link WorkerProcess#CHECK},
   * started as a worker would be, must load the worker's classes and end well.
   */
  Optional<String> problem() {
    List<String> command = command(List.of(WorkerProcess.CHECK));
    Path output = null;
    try {
      output = Files.createTempFile("flowcast-worker-check", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!process.waitFor(CHECK_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.of("a trial worker process did not end within " + CHECK_PATIENCE.toSeconds() + " s");
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() == 0 && printed.contains(WorkerProcess.CHECKED)) {
        return Optional.empty();
      }
      return Optional.of("a trial worker process ended with exit code " + process.exitValue() + ": "
          + firstLine(printed));
    } catch (IOException e) {
      return Optional.of("a worker process could not be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while a trial worker process started");
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }

  /** The line that says why: Java's own ("Error: Could not find or load main class ..."), or the first. */
  private static String firstLine(String printed) {
    List<String> lines = printed.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return lines.stream().filter(l -> l.startsWith("Error:") || l.startsWith("Caused by:")).findFirst()
        .or(() -> lines.stream().findFirst()).orElse("it printed nothing");
  }

  /**
   * The {@code PropertiesLauncher} of a class path that is one Spring Boot executable jar (its
   * manifest's {@code Main-Class} is Boot's launcher, of either loader generation); empty for
   * anything else, a jar whose manifest lists the class path among them.
   */
  static Optional<String> propertiesLauncherOf(String classPath) {
    if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
      return Optional.empty();
    }
    try (JarFile jar = new JarFile(classPath)) {
      Manifest manifest = jar.getManifest();
      String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      if (main == null || !main.startsWith(BOOT_LOADER)) {
        return Optional.empty();
      }
      return Optional.of(main.substring(0, main.lastIndexOf('.') + 1) + "PropertiesLauncher");
    } catch (IOException notAJar) {
      return Optional.empty();
    }
  }
}
