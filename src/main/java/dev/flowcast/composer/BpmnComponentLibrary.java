package dev.flowcast.composer;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import dev.flowcast.composer.LibraryFiles.LibraryFile;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.FlowcastSetupException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Loads the task components at start-up and deploys each one once (a changed file becomes a new
 * version, an unchanged one is not deployed again). A broken file is reported with its name and
 * reason and left out; the rest still loads.
 */
class BpmnComponentLibrary implements ComponentLibrary, InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(BpmnComponentLibrary.class);
  static final String DEPLOYMENT_SOURCE = "flowcast-components";

  private final FlowcastProperties.Components settings;
  private final ResourcePatternResolver resolver;
  private final RepositoryService repository;
  private volatile List<TaskComponent> components = List.of();
  private volatile List<LoadProblem> problems = List.of();

  private final java.util.function.Predicate<String> knownPool;

  BpmnComponentLibrary(
      FlowcastProperties.Components settings, ResourcePatternResolver resolver, RepositoryService repository) {
    this(settings, resolver, repository, pool -> true);
  }

  BpmnComponentLibrary(FlowcastProperties.Components settings, ResourcePatternResolver resolver,
      RepositoryService repository, java.util.function.Predicate<String> knownPool) {
    this.knownPool = knownPool;
    this.settings = settings;
    this.resolver = resolver;
    this.repository = repository;
  }

  /** @throws FlowcastSetupException when neither location holds a file: nothing could ever be composed */
  @Override
  public void afterPropertiesSet() {
    reload();
    if (components.isEmpty() && problems.isEmpty()) {
      throw new FlowcastSetupException("FLOWCAST-382 no task components (*.bpmn) at " + settings.location() + " nor at "
          + settings.fallbackLocation(), "put the application's task components there, or point"
          + " flowcast.components.location at them");
    }
  }

  /** Reads and deploys every file again; files deployed before stay deployed. */
  synchronized void reload() {
    List<TaskComponent> loaded = new ArrayList<>();
    List<LoadProblem> refused = new ArrayList<>();
    Map<String, String> sourceOfName = new HashMap<>();
    List<LibraryFile> files = LibraryFiles.read(resolver, settings.location(), settings.fallbackLocation());
    for (LibraryFile file : files) {
      try {
        TaskComponent component = ComponentFileParser.parse(file.name(), file.content(), knownPool);
        String earlier = sourceOfName.putIfAbsent(component.name(), file.name());
        if (earlier != null) {
          throw new InvalidFileException(
              "duplicate component name '" + component.name() + "', already defined in " + earlier);
        }
        loaded.add(deploy(component, file));
      } catch (InvalidFileException | ProcessEngineException e) {
        refused.add(new LoadProblem(file.name(), e.getMessage()));
        log.warn("FLOWCAST-001 task component {} refused: {}", file.name(), e.getMessage());
      }
    }
    components = List.copyOf(loaded);
    problems = List.copyOf(refused);
    log.info(
        "FLOWCAST-002 {} task components loaded from {} ({} refused)",
        loaded.size(), files.isEmpty() ? settings.location() : files.get(0).name().replaceAll("[^/\\\\]*$", ""),
        refused.size());
  }

  private TaskComponent deploy(TaskComponent component, LibraryFile file) {
    repository
        .createDeployment()
        .name(component.processKey())
        .source(DEPLOYMENT_SOURCE)
        .enableDuplicateFiltering(false)
        .addInputStream(component.processKey() + ".bpmn", new ByteArrayInputStream(file.content()))
        .deploy();
    ProcessDefinition definition =
        repository
            .createProcessDefinitionQuery()
            .processDefinitionKey(component.processKey())
            .latestVersion()
            .singleResult();
    return component.deployedAs(definition.getId(), definition.getVersion());
  }

  @Override
  public List<TaskComponent> components() {
    return components;
  }

  @Override
  public List<LoadProblem> problems() {
    return problems;
  }
}
