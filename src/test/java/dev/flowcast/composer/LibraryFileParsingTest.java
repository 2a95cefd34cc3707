package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each kind of broken task component or template is refused with a reason that says what to fix. */
class LibraryFileParsingTest {

  static final String NOTIFY_CHAT = read("task-components/notify-chat.bpmn");
  static final String SCALE_SERVICE = read("src/main/resources/bpmn/templates/scale-service.bpmn");

  @Test
  void shouldReadTheDeclaredPropertiesOfAComponent() {
    TaskComponent component = ComponentFileParser.parse("notify-chat.bpmn", bytes(NOTIFY_CHAT));

    assertThat(component.name()).isEqualTo("notify-chat");
    assertThat(component.processKey()).isEqualTo("component-notify-chat");
    assertThat(component.capability()).isEqualTo("notify");
    assertThat(component.requirements().vcpu()).isEqualTo(0.1);
    assertThat(component.requirements().memoryMb()).isEqualTo(128);
    assertThat(component.expectedDuration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(component.pool()).isEqualTo("any");
  }

  @Test
  void shouldRefuseAFileThatIsNotBpmnAndSayWhere() {
    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn", bytes("<definitions><oops></definitions>")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining("not a valid BPMN 2.0 file")
        .hasMessageFindingMatch("(?i)line\\W*1");
  }

  @Test
  void shouldRefuseAComponentWithoutAProperty() {
    String broken = NOTIFY_CHAT.replace("<camunda:property name=\"flowcast.memoryMb\" value=\"128\" />", "");

    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn", bytes(broken)))
        .hasMessageContaining("missing extension property 'flowcast.memoryMb'");
  }

  @Test
  void shouldRefuseNegativeResources() {
    String broken = NOTIFY_CHAT.replace("name=\"flowcast.vcpu\" value=\"0.1\"", "name=\"flowcast.vcpu\" value=\"-2\"");

    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn", bytes(broken)))
        .hasMessageContaining("'flowcast.vcpu' must be zero or positive, not -2");
  }

  @Test
  void shouldRefuseAnUnknownPoolAndAMalformedDuration() {
    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn",
            bytes(NOTIFY_CHAT.replace("value=\"any\"", "value=\"Cheap Pool\""))))
        .hasMessageContaining("flowcast.pool 'Cheap Pool' must be a pool of the price catalog");
    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn",
            bytes(NOTIFY_CHAT.replace("value=\"PT1S\"", "value=\"1 second\""))))
        .hasMessageContaining("not an ISO-8601 duration");
  }

  @Test
  void shouldRefuseAComponentWithoutHistoryTimeToLive() {
    String broken = NOTIFY_CHAT.replace(" camunda:historyTimeToLive=\"30\"", "");

    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn", bytes(broken)))
        .hasMessageContaining("no camunda:historyTimeToLive");
  }

  @Test
  void shouldRefuseAProcessIdThatIsNotAComponentKey() {
    String broken = NOTIFY_CHAT.replace("id=\"component-notify-chat\"", "id=\"notify\"")
        .replace("bpmnElement=\"component-notify-chat\"", "bpmnElement=\"notify\"");

    assertThatThrownBy(() -> ComponentFileParser.parse("x.bpmn", bytes(broken)))
        .hasMessageContaining("must be 'component-<name>'");
  }

  @Test
  void shouldNumberTemplateTasksInTopologicalOrder() {
    WorkflowTemplate template = TemplateFileParser.parse("scale-service.bpmn", bytes(SCALE_SERVICE));

    assertThat(template.intent()).isEqualTo("scale-service");
    assertThat(template.tasks()).extracting(AbstractTask::stepId)
        .containsExactly("step_1_scale", "step_2_warm_cache", "step_3_notify");
    assertThat(template.dependencies().get("step_2_warm_cache")).containsExactly("step_1_scale");
    assertThat(template.dependencies().get("step_3_notify")).containsExactly("step_1_scale");
  }

  @Test
  void shouldRefuseATemplateWithACycle() {
    String cyclic = SCALE_SERVICE.replace(
        "<bpmn:sequenceFlow id=\"flow_template_start_to_task_scale\"",
        "<bpmn:sequenceFlow id=\"back\" sourceRef=\"task_warm\" targetRef=\"task_scale\" />"
            + "<bpmn:sequenceFlow id=\"flow_template_start_to_task_scale\"");

    assertThatThrownBy(() -> TemplateFileParser.parse("x.bpmn", bytes(cyclic)))
        .hasMessageContaining("has a cycle");
  }

  @Test
  void shouldRefuseATemplateWithAnElementItCannotCompose() {
    String exclusive = SCALE_SERVICE.replace("<bpmn:parallelGateway id=\"fork_branches\">", "<bpmn:exclusiveGateway id=\"fork_branches\">")
        .replace("</bpmn:parallelGateway>\n    <bpmn:parallelGateway id=\"join_branches\">", "</bpmn:exclusiveGateway>\n    <bpmn:parallelGateway id=\"join_branches\">");

    assertThatThrownBy(() -> TemplateFileParser.parse("x.bpmn", bytes(exclusive)))
        .hasMessageContaining("'fork_branches' (exclusiveGateway) is not allowed");
  }

  @Test
  void shouldRefuseATemplateTaskWithoutCapability() {
    String broken = SCALE_SERVICE.replace("<camunda:property name=\"flowcast.capability\" value=\"scale\" />", "");

    assertThatThrownBy(() -> TemplateFileParser.parse("x.bpmn", bytes(broken)))
        .hasMessageContaining("task 'task_scale' needs a property 'flowcast.capability'");
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
