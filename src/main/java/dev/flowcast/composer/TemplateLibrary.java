package dev.flowcast.composer;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import dev.flowcast.composer.LibraryFiles.LibraryFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.support.ResourcePatternResolver;

/** The workflow templates, one per intent, read once at start-up. */
class TemplateLibrary {

  private static final Logger log = LoggerFactory.getLogger(TemplateLibrary.class);

  private final Map<String, WorkflowTemplate> byIntent;
  private final List<LoadProblem> problems;

  TemplateLibrary(String location, ResourcePatternResolver resolver, ComponentLibrary components) {
    Map<String, WorkflowTemplate> loaded = new TreeMap<>();
    List<LoadProblem> refused = new ArrayList<>();
    for (LibraryFile file : LibraryFiles.read(resolver, location)) {
      try {
        WorkflowTemplate template = TemplateFileParser.parse(file.name(), file.content());
        WorkflowTemplate earlier = loaded.putIfAbsent(template.intent(), template);
        if (earlier != null) {
          throw new InvalidFileException(
              "duplicate intent '" + template.intent() + "', already defined in " + earlier.source());
        }
        warnOfUnprovidedCapabilities(template, components);
      } catch (InvalidFileException e) {
        refused.add(new LoadProblem(file.name(), e.getMessage()));
        log.warn("FLOWCAST-003 workflow template {} refused: {}", file.name(), e.getMessage());
      }
    }
    this.byIntent = Map.copyOf(loaded);
    this.problems = List.copyOf(refused);
    if (loaded.isEmpty()) {
      // nothing can be composed: say so where an operator looks first, not at the first request
      log.warn("FLOWCAST-004 no workflow template loaded: every request will be refused; check flowcast.templates.location");
    } else {
      log.info("FLOWCAST-004 {} workflow templates loaded: {}", loaded.size(), loaded.keySet());
    }
  }

  private static void warnOfUnprovidedCapabilities(WorkflowTemplate template, ComponentLibrary components) {
    for (AbstractTask task : template.tasks()) {
      if (components.providing(task.capability()).isEmpty()) {
        log.warn(
            "FLOWCAST-005 template {}: no task component provides capability '{}'; its requests will be rejected",
            template.source(), task.capability());
      }
    }
  }

  Set<String> intents() {
    return byIntent.keySet();
  }

  Optional<WorkflowTemplate> forIntent(String intent) {
    return Optional.ofNullable(byIntent.get(intent));
  }

  List<LoadProblem> problems() {
    return problems;
  }
}
