package com.example.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.autoconfigure.FlowcastAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * What this application receives from Flowcast's starter: the plugin and nothing of Flowcast's own
 * application. No demo domain, command line or simulation classes, and none of that application's
 * settings, demo tables, templates or task components, which would mix with this application's own
 * (its {@code application.yml}, its {@code bpmn/templates/}, its components).
 *
 * <p>The starter is read where this build finds it: its jar (from a repository, or from the
 * reactor once packaged), or its classes folder (the reactor's {@code mvn test}).
 */
class FlowcastStarterContentsTest {

  /** Flowcast's own application, compiled by its app module alone. */
  static final Pattern APPLICATION_ONLY = Pattern.compile(String.join("|",
      "dev/flowcast/FlowcastApplication\\.class",
      "dev/flowcast/demo/.*",
      "dev/flowcast/cli/.*",
      "dev/flowcast/simulation/.*",
      "dev/flowcast/api/DemoFault.*",
      "application(-[^/]*)?\\.(yml|yaml|properties)",
      "db/demo/.*",
      "db/migration/.*",
      "bpmn/templates/.*",
      "task-components/.*"));

  @Test
  void shouldHoldTheAutoConfigurationTheEnginePluginAndTheCockpitPlugin() {
    // given: the starter as this build found it
    List<String> entries = starterEntries();

    // then: what a Camunda application adds Flowcast for
    assertThat(entries).contains(
        "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
        "META-INF/spring-configuration-metadata.json",
        "META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin",
        "dev/flowcast/autoconfigure/FlowcastAutoConfiguration.class",
        "plugin-webapp/flowcast/app/plugin.js",
        "db/flowcast/V1__flowcast_reservations_and_decisions.sql",
        "bpmn/flowcast-queue.bpmn.xml");
  }

  @Test
  void shouldHoldNoDemoCommandLineOrSimulationClassesAndNoneOfTheApplicationsResources() {
    // given: the starter as this build found it
    List<String> entries = starterEntries();

    // then: nothing that only Flowcast's own application uses
    assertThat(entries).as("the starter's entries from %s", starterLocation())
        .noneMatch(entry -> APPLICATION_ONLY.matcher(entry).matches());
  }

  @Test
  void shouldLeaveFlowcastsApplicationOffThisApplicationsClassPath() {
    // when: the class path is searched for Flowcast's application and its demo
    ClassLoader classPath = getClass().getClassLoader();

    // then: no other artifact brings them either
    assertThat(classPath.getResource("dev/flowcast/FlowcastApplication.class")).isNull();
    assertThat(classPath.getResource("dev/flowcast/demo/DemoConfiguration.class")).isNull();
    assertThat(classPath.getResource("dev/flowcast/cli/FlowcastCommands.class")).isNull();
    assertThat(classPath.getResource("application-demo.yml")).isNull();
  }

  @Test
  void shouldGiveCamundasAutoDeploymentNoneOfFlowcastsResources() throws IOException {
    // given: the starter alone on a class path, searched by Camunda's auto-deployment patterns
    // (classpath*:**/*.bpmn ...), which reach into every jar of an application's class path (in a
    // Spring Boot executable jar, BOOT-INF/lib/ too)
    List<String> autoDeployed = new ArrayList<>();
    try (URLClassLoader starterOnly = new URLClassLoader(new URL[] {starterLocation().toUri().toURL()}, null)) {
      PathMatchingResourcePatternResolver classPath = new PathMatchingResourcePatternResolver(starterOnly);

      // when: the patterns are resolved
      for (String pattern : new CamundaBpmProperties().getDeploymentResourcePattern()) {
        for (Resource resource : classPath.getResources(pattern)) {
          autoDeployed.add(resource.getURL().toString());
        }
      }
    }

    // then: they find nothing: Flowcast deploys its queue process itself, and an application may
    // keep auto-deployment on for its own processes without deploying Flowcast's as its own
    assertThat(autoDeployed).as("what Camunda's auto-deployment finds in the starter").isEmpty();
  }

  private static Path starterLocation() {
    try {
      return Path.of(FlowcastAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The starter's entries, as paths relative to its root with '/' between names. */
  private static List<String> starterEntries() {
    Path starter = starterLocation();
    try {
      if (Files.isDirectory(starter)) {
        try (Stream<Path> files = Files.walk(starter)) {
          return files.filter(Files::isRegularFile)
              .map(file -> starter.relativize(file).toString().replace('\\', '/'))
              .toList();
        }
      }
      try (JarFile jar = new JarFile(starter.toFile())) {
        return jar.stream().filter(Predicate.not(ZipEntry::isDirectory)).map(ZipEntry::getName).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the starter at " + starter, e);
    }
  }
}
