package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;

/**
 * Reads one task component file: exactly one executable process {@code component-<name>} whose
 * extension properties declare what it provides and needs.
 */
final class ComponentFileParser {

  static final String CAPABILITY = "flowcast.capability";
  static final String VCPU = "flowcast.vcpu";
  static final String MEMORY_MB = "flowcast.memoryMb";
  static final String NETWORK_MBPS = "flowcast.networkMbps";
  static final String DISK_IOPS = "flowcast.diskIops";
  static final String EXPECTED_DURATION = "flowcast.expectedDuration";
  static final String POOL = "flowcast.pool";
  static final String COST_CLASS = "flowcast.costClass";
  static final String RESTARTABLE = "flowcast.restartable";

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private ComponentFileParser() {}

  static TaskComponent parse(String source, byte[] content) {
    return parse(source, content, pool -> true);
  }

  /**
   * @param knownPool whether a pool is in the price catalog: a component whose work runs on
   *     workers must name one (or 'any'), or no worker would ever serve it
   */
  static TaskComponent parse(String source, byte[] content, java.util.function.Predicate<String> knownPool) {
    BpmnModelInstance model = BpmnFiles.parse(content);
    Process process = onlyExecutableProcess(model.getModelElementsByType(Process.class));
    String key = process.getId();
    if (!key.startsWith(ProcessKeys.COMPONENT_PREFIX)
        || !NAME.matcher(key.substring(ProcessKeys.COMPONENT_PREFIX.length())).matches()) {
      throw new InvalidFileException(
          "process id '" + key + "' must be 'component-<name>' with a name of lower-case letters, digits and '-'");
    }
    if (process.getCamundaHistoryTimeToLiveString() == null) {
      throw new InvalidFileException(
          "process '" + key + "' has no camunda:historyTimeToLive (the engine refuses it)");
    }
    Map<String, String> properties = BpmnFiles.properties(process);
    String capability = required(properties, CAPABILITY);
    if (!NAME.matcher(capability).matches()) {
      throw new InvalidFileException(CAPABILITY + " '" + capability + "' must be lower-case letters, digits and '-'");
    }
    String pool = required(properties, POOL);
    if (!NAME.matcher(pool).matches()) {
      throw new InvalidFileException(
          POOL + " '" + pool + "' must be a pool of the price catalog (e.g. spot, on-demand) or 'any'");
    }
    ExternalWork.check(model);
    if (ExternalWork.isExternal(model) && !TaskComponent.ANY_POOL.equals(pool) && !knownPool.test(pool)) {
      throw new InvalidFileException("service task '" + ExternalWork.steps(model).get(0).elementId() + "' runs on the workers of pool '"
          + pool + "' (" + POOL + "), which is not a pool of the price catalog");
    }
    ResourceDemand requirements =
        new ResourceDemand(
            amount(properties, VCPU),
            amount(properties, MEMORY_MB),
            amount(properties, NETWORK_MBPS),
            amount(properties, DISK_IOPS));
    return new TaskComponent(
        key.substring(ProcessKeys.COMPONENT_PREFIX.length()),
        key,
        capability,
        requirements,
        duration(properties),
        pool,
        properties.getOrDefault(COST_CLASS, "standard"),
        Boolean.parseBoolean(properties.getOrDefault(RESTARTABLE, "false")),
        source,
        null,
        0);
  }

  private static Process onlyExecutableProcess(Collection<Process> processes) {
    List<Process> executable = processes.stream().filter(Process::isExecutable).toList();
    if (executable.size() != 1) {
      throw new InvalidFileException(
          "a task component holds exactly one executable process, this file has " + executable.size());
    }
    return executable.get(0);
  }

  private static String required(Map<String, String> properties, String name) {
    String value = properties.get(name);
    if (value == null || value.isBlank()) {
      throw new InvalidFileException("missing extension property '" + name + "'");
    }
    return value.trim();
  }

  private static double amount(Map<String, String> properties, String name) {
    String value = required(properties, name);
    double amount;
    try {
      amount = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidFileException("property '" + name + "' is not a number: '" + value + "'");
    }
    if (amount < 0 || !Double.isFinite(amount)) {
      throw new InvalidFileException("property '" + name + "' must be zero or positive, not " + value);
    }
    return amount;
  }

  private static Duration duration(Map<String, String> properties) {
    String value = required(properties, EXPECTED_DURATION);
    try {
      Duration duration = Duration.parse(value);
      if (duration.isNegative() || duration.isZero()) {
        throw new InvalidFileException("property '" + EXPECTED_DURATION + "' must be positive, not " + value);
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw new InvalidFileException(
          "property '" + EXPECTED_DURATION + "' is not an ISO-8601 duration (e.g. PT30S): '" + value + "'");
    }
  }
}
