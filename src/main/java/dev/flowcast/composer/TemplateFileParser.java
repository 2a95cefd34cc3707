package dev.flowcast.composer;

import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import dev.flowcast.config.ProcessKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;

/**
 * Reads one workflow template: a process {@code template-<intent>} of plain tasks that each name
 * a capability ({@code flowcast.capability}), joined by sequence flows and parallel gateways into
 * a DAG.
 */
final class TemplateFileParser {

  static final String TEMPLATE_PREFIX = "template-";

  private TemplateFileParser() {}

  static WorkflowTemplate parse(String source, byte[] content) {
    BpmnModelInstance model = BpmnFiles.parse(content);
    Collection<Process> processes = model.getModelElementsByType(Process.class);
    if (processes.size() != 1) {
      throw new InvalidFileException("a template holds exactly one process, this file has " + processes.size());
    }
    Process process = processes.iterator().next();
    String id = process.getId();
    String intent = id.startsWith(TEMPLATE_PREFIX) ? id.substring(TEMPLATE_PREFIX.length()) : "";
    if (!ComponentFileParser.NAME.matcher(intent).matches()) {
      throw new InvalidFileException(
          "process id '" + id + "' must be 'template-<intent>' with an intent of lower-case letters, digits and '-'");
    }
    Map<String, String> capabilityOfTask = new LinkedHashMap<>();
    for (FlowNode node : process.getChildElementsByType(FlowNode.class)) {
      if (isPlainTask(node)) {
        String capability = BpmnFiles.properties(node).get(ComponentFileParser.CAPABILITY);
        if (capability == null || !ComponentFileParser.NAME.matcher(capability).matches()) {
          throw new InvalidFileException(
              "task '" + node.getId() + "' needs a property '" + ComponentFileParser.CAPABILITY
                  + "' of lower-case letters, digits and '-'");
        }
        capabilityOfTask.put(node.getId(), capability);
      } else if (!(node instanceof StartEvent || node instanceof EndEvent || node instanceof ParallelGateway)) {
        throw new InvalidFileException(
            "element '" + node.getId() + "' (" + node.getElementType().getTypeName()
                + ") is not allowed: a template has plain tasks, parallel gateways, start and end events");
      }
    }
    if (capabilityOfTask.isEmpty()) {
      throw new InvalidFileException("template '" + id + "' has no task");
    }
    if (process.getChildElementsByType(StartEvent.class).size() != 1) {
      throw new InvalidFileException("template '" + id + "' needs exactly one start event");
    }
    Map<String, Set<String>> predecessors = new HashMap<>();
    for (String task : capabilityOfTask.keySet()) {
      predecessors.put(task, new LinkedHashSet<>());
    }
    // sourceRef/targetRef, as the engine reads them (a node's <outgoing> children may be missing)
    Map<String, List<String>> flowsFrom = new HashMap<>();
    for (SequenceFlow flow : process.getChildElementsByType(SequenceFlow.class)) {
      flowsFrom.computeIfAbsent(flow.getSource().getId(), k -> new ArrayList<>()).add(flow.getTarget().getId());
    }
    for (String task : capabilityOfTask.keySet()) {
      for (String next : nextTasks(task, flowsFrom, capabilityOfTask.keySet())) {
        predecessors.get(next).add(task);
      }
    }
    List<String> order = topologicalOrder(new ArrayList<>(capabilityOfTask.keySet()), predecessors, id);
    Map<String, AbstractTask> byElement = new HashMap<>();
    List<AbstractTask> tasks = new ArrayList<>();
    for (String element : order) {
      String capability = capabilityOfTask.get(element);
      int position = tasks.size() + 1;
      FlowNode node = model.getModelElementById(element);
      AbstractTask task =
          new AbstractTask(ProcessKeys.step(position, capability), position, capability,
              node.getName() == null ? capability : node.getName());
      tasks.add(task);
      byElement.put(element, task);
    }
    Map<String, Set<String>> dependencies = new HashMap<>();
    for (String element : order) {
      Set<String> steps = new TreeSet<>();
      predecessors.get(element).forEach(p -> steps.add(byElement.get(p).stepId()));
      dependencies.put(byElement.get(element).stepId(), Set.copyOf(steps));
    }
    String name = process.getName() == null ? intent : process.getName();
    return new WorkflowTemplate(intent, name, tasks, dependencies, source, BpmnFiles.sha256(content));
  }

  private static boolean isPlainTask(FlowNode node) {
    return "task".equals(node.getElementType().getTypeName());
  }

  /** The tasks reached from {@code node} through gateways, without passing another task. */
  private static Set<String> nextTasks(String node, Map<String, List<String>> flowsFrom, Set<String> tasks) {
    Set<String> found = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> open = new ArrayDeque<>();
    open.push(node);
    while (!open.isEmpty()) {
      for (String target : flowsFrom.getOrDefault(open.pop(), List.of())) {
        if (tasks.contains(target)) {
          found.add(target);
        } else if (seen.add(target)) {
          open.push(target);
        }
      }
    }
    return found;
  }

  /** Kahn's order, ties by document order, so step numbers are stable. */
  private static List<String> topologicalOrder(
      List<String> documentOrder, Map<String, Set<String>> predecessors, String id) {
    List<String> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (order.size() < documentOrder.size()) {
      String next =
          documentOrder.stream()
              .filter(t -> !placed.contains(t) && placed.containsAll(predecessors.get(t)))
              .findFirst()
              .orElseThrow(() -> new InvalidFileException("template '" + id + "' has a cycle: it must be a DAG"));
      order.add(next);
      placed.add(next);
    }
    return order;
  }
}
