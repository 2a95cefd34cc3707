package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flowcast.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Camunda Modeler element templates in {@code task-components/element-templates}: valid against
 * the official schema, and what every shipped component and workflow-template task holds; and
 * bpmnlint's recommended rules over every shipped BPMN file. The checks are {@code
 * src/test/modeler/check.mjs}, run with Node.js and the npm packages pinned in its lockfile.
 */
class ElementTemplatesTest {

  static final Path CHECKS = Path.of("src/test/modeler");
  static final Path TEMPLATES = Path.of("task-components/element-templates");
  static final Path BROKEN = Path.of("src/test/resources/modeler");
  static final Path COMPONENTS = Path.of("task-components");
  static final Path WORKFLOW_TEMPLATES = Path.of("src/main/resources/bpmn/templates");

  static String node;

  @BeforeAll
  static void installTheChecksPackages() throws Exception {
    Optional<String> found = onPath("node");
    RequiredTool.require(found.isPresent(),
        "node is not on the PATH: the Modeler element templates are checked with Node.js (apt-get install nodejs npm)");
    node = found.get();
    Path installed = CHECKS.resolve("node_modules/.package-lock.json");
    if (!Files.exists(installed)
        || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(CHECKS.resolve("package-lock.json"))) < 0) {
      String npm = onPath("npm").orElseThrow(() -> new AssertionError("node is on the PATH, npm is not"));
      Result install = run(5, npm, "ci", "--no-audit", "--no-fund");
      assertThat(install.code()).as("npm ci in %s:%n%s", CHECKS, install.output()).isZero();
    }
  }

  @Test
  void shouldValidateTheShippedTemplatesCheckEveryComponentAgainstItsTemplateAndLintEveryShippedFile()
      throws Exception {
    long templates = filesIn(TEMPLATES, ".json").size();
    List<Path> componentFiles = filesIn(COMPONENTS, ".bpmn");
    long components = componentFiles.size();
    long externalTasks = 0;
    for (Path component : componentFiles) {
      externalTasks += Bpmn.readModelFromFile(component.toFile()).getModelElementsByType(ServiceTask.class).stream()
          .filter(task -> "external".equals(task.getCamundaType())).count();
    }
    List<Path> workflowTemplates = filesIn(WORKFLOW_TEMPLATES, ".bpmn");
    long tasks = 0;
    for (Path workflowTemplate : workflowTemplates) {
      // the abstract tasks only (bpmn:task), not the kinds of task that extend it
      tasks += Bpmn.readModelFromFile(workflowTemplate.toFile()).getModelElementsByType(Task.class).stream()
          .filter(task -> task.getElementType().getTypeName().equals("task")).count();
    }

    Result check = check();

    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output())
        .contains("(a) " + templates + " element templates read, " + templates + " valid")
        .contains("(b) " + components + " task components (" + externalTasks + " external tasks) and " + tasks
            + " tasks of " + workflowTemplates.size() + " workflow templates checked")
        .contains("switched off: none): 0 findings")
        .contains("no problems");
  }

  @Test
  void shouldRefuseATemplateTheOfficialSchemaRefuses(@TempDir Path templates) throws Exception {
    Result check = check("--templates", shippedTemplatesWith(templates, "flowcast-component.boolean-property.json"));

    assertThat(check.code()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains("flowcast-component.json: schema: /properties/8/type invalid property type"
        + " \"Boolean\" for binding type \"camunda:property\"; must be any of { String, Hidden, Dropdown }");
  }

  @Test
  void shouldRefuseATemplateThatForbidsWhatAShippedComponentDeclares(@TempDir Path templates) throws Exception {
    Result check = check("--templates", shippedTemplatesWith(templates, "flowcast-component.no-pool-any.json"));

    assertThat(check.code()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains("task-components/render-report.bpmn component-render-report: property"
        + " 'flowcast.pool' is 'any', not one of the choices 'spot', 'on-demand', 'reserved'")
        .contains("the choices of flowcast.pool are [on-demand, reserved, spot], src/main/resources/config/prices.yml"
            + " has the pools [on-demand, spot, reserved], and 'any'");
  }

  @Test
  void shouldRefuseATemplateThatDoesNotProduceAPropertyAShippedComponentHolds(@TempDir Path templates)
      throws Exception {
    Result check = check("--templates", shippedTemplatesWith(templates, "flowcast-component.no-restartable.json"));

    assertThat(check.code()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains("task-components/snapshot-full.bpmn component-snapshot-full: property"
        + " 'flowcast.restartable' is not produced by");
  }

  @Test
  void shouldReportWhatBpmnlintFinds() throws Exception {
    // the queue as it was before its retry loop joined in a gateway
    Result check = check("--lint", BROKEN.resolve("queue-with-fake-join.bpmn").toAbsolutePath().toString());

    assertThat(check.code()).as(check.output()).isEqualTo(1);
    assertThat(check.output())
        .contains("src/test/resources/modeler/queue-with-fake-join.bpmn wait_for_capacity: warn fake-join:"
            + " Incoming flows do not join")
        .contains("1 problem:");
  }

  private static List<Path> filesIn(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  /** A copy of the shipped templates with the component template replaced by a broken one. */
  private static String shippedTemplatesWith(Path folder, String broken) throws IOException {
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      for (Path file : files.toList()) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    Files.copy(BROKEN.resolve(broken), folder.resolve("flowcast-component.json"), StandardCopyOption.REPLACE_EXISTING);
    return folder.toAbsolutePath().toString();
  }

  private static Result check(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(node, "check.mjs"));
    command.addAll(List.of(arguments));
    Result result = run(2, command.toArray(String[]::new));
    System.out.println("node check.mjs " + String.join(" ", arguments) + " -> exit " + result.code());
    System.out.println(result.output());
    return result;
  }

  private static Result run(long minutes, String... command) throws Exception {
    Path output = Files.createTempFile("element-templates-", ".txt");
    try {
      Process process = new ProcessBuilder(command).directory(CHECKS.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish in " + minutes + " minutes:\n" + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static Optional<String> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }

  record Result(int code, String output) {}
}
