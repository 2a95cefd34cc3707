package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Components whose work runs on workers: their topic names the pool, and their pool is one the
 * price catalog has (or any), or no worker would ever fetch their steps.
 */
class ExternalComponentFilesTest {

  static final Set<String> CATALOG = Set.of("spot", "on-demand", "reserved");

  @Test
  void shouldReadAShippedExternalComponentsTopicAndOutputs() throws IOException {
    TaskComponent component = ComponentFileParser.parse("query-primary.bpmn", shipped("query-primary.bpmn"), CATALOG::contains);

    assertThat(component.name()).isEqualTo("query-primary");
    var model = BpmnFiles.parse(shipped("query-primary.bpmn"));
    assertThat(ExternalWork.steps(model)).singleElement().satisfies(step -> {
      assertThat(step.elementId()).isEqualTo("run_query");
      assertThat(step.topicIn("spot")).isEqualTo("demo-query@spot");
    });
    assertThat(ExternalWork.outputs(model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class)
        .iterator().next())).containsExactly("reportRows", "reportSource", "reportTotal");
  }

  @Test
  void shouldRefuseAnExternalComponentBoundToAPoolThePriceCatalogDoesNotHave() throws IOException {
    byte[] moon = new String(shipped("snapshot-full.bpmn"), StandardCharsets.UTF_8)
        .replace("name=\"flowcast.pool\" value=\"on-demand\"", "name=\"flowcast.pool\" value=\"moon\"")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ComponentFileParser.parse("snapshot-moon.bpmn", moon, CATALOG::contains))
        .isInstanceOf(InvalidFileException.class)
        .hasMessage("service task 'take_snapshot' runs on the workers of pool 'moon' (flowcast.pool), which is not a pool"
            + " of the price catalog");
  }

  @Test
  void shouldLetAnEngineSideComponentKeepAPoolItNames() throws IOException {
    byte[] moon = new String(shipped("notify-chat.bpmn"), StandardCharsets.UTF_8)
        .replace("name=\"flowcast.pool\" value=\"any\"", "name=\"flowcast.pool\" value=\"moon\"")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(ComponentFileParser.parse("notify-moon.bpmn", moon, CATALOG::contains).pool()).isEqualTo("moon");
  }

  private static byte[] shipped(String file) throws IOException {
    return Files.readAllBytes(Path.of("task-components", file));
  }
}
