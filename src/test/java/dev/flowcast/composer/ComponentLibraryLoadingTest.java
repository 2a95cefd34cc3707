package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import dev.flowcast.config.FlowcastProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** A broken file is reported with its name and reason at start-up; the rest of the library loads and deploys. */
@FlowcastTest
class ComponentLibraryLoadingTest {

  @Autowired RepositoryService repository;
  @Autowired ComponentLibrary applicationLibrary;

  @TempDir Path folder;

  @Test
  void shouldLoadTheDemoLibraryWithoutProblems() {
    assertThat(applicationLibrary.components()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(applicationLibrary.problems()).isEmpty();
    assertThat(applicationLibrary.components())
        .allMatch(c -> c.version() >= 1 && c.processDefinitionId() != null);
    assertThat(applicationLibrary.components().stream().map(TaskComponent::capability).distinct()
            .filter(capability -> applicationLibrary.providing(capability).size() >= 2))
        .as("capabilities with interchangeable components").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void shouldReportEachBrokenFileByNameAndStillLoadTheRest() throws IOException {
    String good = LibraryFileParsingTest.NOTIFY_CHAT
        .replace("component-notify-chat", "component-loading-test-ok");
    write("a-good.bpmn", good);
    write("b-not-bpmn.bpmn", "this is not xml");
    write("c-negative.bpmn", good.replace("component-loading-test-ok", "component-loading-test-negative")
        .replace("name=\"flowcast.diskIops\" value=\"10\"", "name=\"flowcast.diskIops\" value=\"-1\""));
    write("d-duplicate.bpmn", good);
    write("e-missing.bpmn", good.replace("component-loading-test-ok", "component-loading-test-missing")
        .replace("<camunda:property name=\"flowcast.capability\" value=\"notify\" />", ""));

    BpmnComponentLibrary library = new BpmnComponentLibrary(
        new FlowcastProperties.Components(folder.toUri().toString(), "classpath:nowhere/"),
        new PathMatchingResourcePatternResolver(), repository);
    library.afterPropertiesSet();

    assertThat(library.components()).extracting(TaskComponent::name).containsExactly("loading-test-ok");
    assertThat(library.problems()).extracting(p -> Path.of(p.file()).getFileName().toString())
        .containsExactly("b-not-bpmn.bpmn", "c-negative.bpmn", "d-duplicate.bpmn", "e-missing.bpmn");
    assertThat(library.problems()).extracting(LoadProblem::reason)
        .satisfiesExactly(
            r -> assertThat(r).contains("not a valid BPMN 2.0 file"),
            r -> assertThat(r).contains("'flowcast.diskIops' must be zero or positive"),
            r -> assertThat(r).contains("duplicate component name 'loading-test-ok'"),
            r -> assertThat(r).contains("missing extension property 'flowcast.capability'"));
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey("component-loading-test-ok").count())
        .isEqualTo(1);
  }

  @Test
  void shouldNotDeployAnUnchangedComponentAgain() throws IOException {
    write("same.bpmn", LibraryFileParsingTest.NOTIFY_CHAT.replace("component-notify-chat", "component-loading-test-same"));
    BpmnComponentLibrary library = new BpmnComponentLibrary(
        new FlowcastProperties.Components(folder.toUri().toString(), "classpath:nowhere/"),
        new PathMatchingResourcePatternResolver(), repository);

    library.afterPropertiesSet();
    library.reload();

    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey("component-loading-test-same").count())
        .isEqualTo(1);
    assertThat(library.components().get(0).version()).isEqualTo(1);
  }

  @Test
  void shouldFallBackToTheClassPathWhenTheFolderHasNoComponents() {
    BpmnComponentLibrary library = new BpmnComponentLibrary(
        new FlowcastProperties.Components(folder.resolve("missing").toUri().toString(), "classpath:task-components/"),
        new PathMatchingResourcePatternResolver(), repository);

    library.afterPropertiesSet();

    assertThat(library.components()).hasSize(applicationLibrary.components().size());
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(folder.resolve(name), content);
  }
}
