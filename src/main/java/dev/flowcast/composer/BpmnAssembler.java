package dev.flowcast.composer;

import dev.flowcast.config.ProcessVariables;
import dev.flowcast.config.StepProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.Definitions;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnPlane;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;

/**
 * Turns a bound {@link Workflow} into an executable BPMN model with the fluent builder: one call
 * activity per task, pinned to the component version bound, async before each step, parallel
 * gateways where the DAG forks and joins, and a diagram laid out in columns so Cockpit draws
 * parallel branches apart. Every id is derived from the workflow, never random, so the same
 * composition gives the same XML and two versions share the ids of their common steps.
 */
final class BpmnAssembler {

  static final String START = "start";
  static final String END = "end";

  private static final int COLUMN_WIDTH = 170;
  private static final int ROW_HEIGHT = 130;
  private static final int MARGIN = 60;

  private final String historyTimeToLive;

  BpmnAssembler(String historyTimeToLive) {
    this.historyTimeToLive = historyTimeToLive;
  }

  BpmnModelInstance assemble(Workflow workflow, String fingerprint) {
    Graph graph = Graph.of(workflow);
    AbstractFlowNodeBuilder<?, ?> builder =
        Bpmn.createExecutableProcess(workflow.processKey())
            .name("Flowcast: " + workflow.template().name())
            .camundaHistoryTimeToLiveString(historyTimeToLive)
            .camundaVersionTag(fingerprint)
            .startEvent(START)
            .name("Request accepted");
    Map<String, Task> taskById = new HashMap<>();
    workflow.tasks().forEach(t -> taskById.put(t.stepId(), t));
    Set<String> created = new LinkedHashSet<>(List.of(START));
    for (String node : graph.order()) {
      for (String target : graph.successors(node)) {
        builder = builder.moveToNode(node);
        if (created.add(target)) {
          builder = addNode(builder, target, taskById.get(target));
        } else {
          builder.connectTo(target);
        }
      }
    }
    BpmnModelInstance model = builder.done();
    for (Task task : workflow.tasks()) {
      passVariablesAndDescribe(model, model.getModelElementById(task.stepId()), task);
    }
    nameFlows(model);
    layOut(model, graph, workflow.processKey());
    Bpmn.validateModel(model);
    return model;
  }

  private static AbstractFlowNodeBuilder<?, ?> addNode(
      AbstractFlowNodeBuilder<?, ?> from, String id, Task task) {
    if (task != null) {
      return from.callActivity(id)
          .name(task.component().name() + " (" + task.pool() + ")")
          .calledElement(task.component().processKey())
          .camundaCalledElementBinding("version")
          .camundaCalledElementVersion(String.valueOf(task.component().version()))
          .camundaAsyncBefore();
    }
    if (id.equals(END)) {
      return from.endEvent(END).name("Workflow done");
    }
    return from.parallelGateway(id);
  }

  /** Every variable goes into the component and comes back; the business key too. */
  private static void passVariablesAndDescribe(BpmnModelInstance model, CallActivity step, Task task) {
    ExtensionElements extensions = step.getExtensionElements();
    if (extensions == null) {
      extensions = model.newInstance(ExtensionElements.class);
      step.setExtensionElements(extensions);
    }
    CamundaIn allIn = model.newInstance(CamundaIn.class);
    allIn.setCamundaVariables("all");
    extensions.addChildElement(allIn);
    // the pool the step is bound to: its component's external tasks take their topic from it, so
    // only that pool's workers fetch them (after "all", which may carry an earlier step's)
    CamundaIn pool = model.newInstance(CamundaIn.class);
    pool.setCamundaSourceExpression(task.pool());
    pool.setCamundaTarget(ExternalWork.POOL_VARIABLE);
    extensions.addChildElement(pool);
    // which worker completes this step's work, if a worker does: none until then (not an earlier step's)
    CamundaIn noWorker = model.newInstance(CamundaIn.class);
    noWorker.setCamundaSourceExpression("${null}");
    noWorker.setCamundaTarget(ProcessVariables.WORKER);
    extensions.addChildElement(noWorker);
    CamundaIn businessKey = model.newInstance(CamundaIn.class);
    businessKey.setCamundaBusinessKey("#{execution.processBusinessKey}");
    extensions.addChildElement(businessKey);
    CamundaOut allOut = model.newInstance(CamundaOut.class);
    allOut.setCamundaVariables("all");
    extensions.addChildElement(allOut);
    CamundaProperties properties = model.newInstance(CamundaProperties.class);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(StepProperties.CAPABILITY, task.capability());
    values.put(StepProperties.COMPONENT, task.component().name());
    values.put(StepProperties.POOL, task.pool());
    values.forEach(
        (name, value) -> {
          CamundaProperty property = model.newInstance(CamundaProperty.class);
          property.setCamundaName(name);
          property.setCamundaValue(value);
          properties.addChildElement(property);
        });
    extensions.addChildElement(properties);
  }

  private static void nameFlows(BpmnModelInstance model) {
    for (SequenceFlow flow : new ArrayList<>(model.getModelElementsByType(SequenceFlow.class))) {
      flow.setId("flow_" + flow.getSource().getId() + "_to_" + flow.getTarget().getId());
    }
  }

  /** Columns by longest path from the start, rows centred; ids of DI elements follow the model. */
  private static void layOut(BpmnModelInstance model, Graph graph, String processKey) {
    Definitions definitions = model.getDefinitions();
    definitions.setId("definitions_" + processKey);
    for (BpmnDiagram diagram : model.getModelElementsByType(BpmnDiagram.class)) {
      diagram.setId("diagram_" + processKey);
    }
    for (BpmnPlane plane : model.getModelElementsByType(BpmnPlane.class)) {
      plane.setId("plane_" + processKey);
    }
    Map<String, int[]> centre = new HashMap<>();
    Map<Integer, List<String>> columns = graph.columns();
    int tallest = columns.values().stream().mapToInt(List::size).max().orElse(1);
    columns.forEach(
        (column, nodes) -> {
          for (int row = 0; row < nodes.size(); row++) {
            int x = MARGIN + column * COLUMN_WIDTH + 50;
            int y = MARGIN + (tallest * ROW_HEIGHT) / 2 + (int) ((row - (nodes.size() - 1) / 2.0) * ROW_HEIGHT);
            centre.put(nodes.get(row), new int[] {x, y});
          }
        });
    for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
      BaseElement element = shape.getBpmnElement();
      shape.setId(element.getId() + "_di");
      int[] c = centre.get(element.getId());
      int[] size = sizeOf(element);
      Bounds bounds = shape.getBounds();
      bounds.setX(c[0] - size[0] / 2.0);
      bounds.setY(c[1] - size[1] / 2.0);
      bounds.setWidth(size[0]);
      bounds.setHeight(size[1]);
    }
    for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
      SequenceFlow flow = (SequenceFlow) edge.getBpmnElement();
      edge.setId(flow.getId() + "_di");
      int[] from = centre.get(flow.getSource().getId());
      int[] to = centre.get(flow.getTarget().getId());
      double startX = from[0] + sizeOf(flow.getSource())[0] / 2.0;
      double endX = to[0] - sizeOf(flow.getTarget())[0] / 2.0;
      edge.getWaypoints().clear();
      if (from[1] == to[1]) {
        edge.getWaypoints().add(waypoint(model, startX, from[1]));
        edge.getWaypoints().add(waypoint(model, endX, to[1]));
      } else {
        double bendX = (startX + endX) / 2;
        edge.getWaypoints().add(waypoint(model, startX, from[1]));
        edge.getWaypoints().add(waypoint(model, bendX, from[1]));
        edge.getWaypoints().add(waypoint(model, bendX, to[1]));
        edge.getWaypoints().add(waypoint(model, endX, to[1]));
      }
    }
  }

  private static int[] sizeOf(BaseElement element) {
    if (element instanceof CallActivity) {
      return new int[] {100, 80};
    }
    if (element.getId().equals(START) || element.getId().equals(END)) {
      return new int[] {36, 36};
    }
    return new int[] {50, 50};
  }

  private static Waypoint waypoint(BpmnModelInstance model, double x, double y) {
    Waypoint waypoint = model.newInstance(Waypoint.class);
    waypoint.setX(x);
    waypoint.setY(y);
    return waypoint;
  }

  /**
   * The flow graph of a workflow: start, steps, end, and a parallel gateway wherever a node has
   * more than one successor ({@code fork_after_<node>}) or predecessor ({@code join_before_<node>}).
   */
  record Graph(Map<String, List<String>> edges, List<String> order) {

    static Graph of(Workflow workflow) {
      Map<String, List<String>> taskSuccessors = new LinkedHashMap<>();
      Map<String, List<String>> taskPredecessors = new LinkedHashMap<>();
      taskSuccessors.put(START, new ArrayList<>());
      for (Task task : workflow.tasks()) {
        taskSuccessors.put(task.stepId(), new ArrayList<>());
        taskPredecessors.put(task.stepId(), new ArrayList<>());
      }
      taskPredecessors.put(END, new ArrayList<>());
      for (Task task : workflow.tasks()) {
        Set<String> dependencies = workflow.dependenciesOf(task.stepId());
        List<String> from = dependencies.isEmpty() ? List.of(START) : dependencies.stream().sorted().toList();
        for (String predecessor : from) {
          taskSuccessors.get(predecessor).add(task.stepId());
          taskPredecessors.get(task.stepId()).add(predecessor);
        }
      }
      for (Task task : workflow.tasks()) {
        if (taskSuccessors.get(task.stepId()).isEmpty()) {
          taskSuccessors.get(task.stepId()).add(END);
          taskPredecessors.get(END).add(task.stepId());
        }
      }
      Map<String, List<String>> edges = new LinkedHashMap<>();
      List<String> order = new ArrayList<>();
      List<String> nodes = new ArrayList<>(taskSuccessors.keySet());
      nodes.add(END);
      for (String node : nodes) {
        List<String> predecessors = taskPredecessors.getOrDefault(node, List.of());
        if (predecessors.size() > 1) {
          String join = "join_before_" + node;
          order.add(join);
          edges.put(join, List.of(node));
        }
        order.add(node);
        List<String> successors = taskSuccessors.getOrDefault(node, List.of());
        List<String> targets = successors.stream().map(s -> entryOf(s, taskPredecessors)).toList();
        if (successors.size() > 1) {
          String fork = "fork_after_" + node;
          edges.put(node, List.of(fork));
          edges.put(fork, targets);
          order.add(fork);
        } else {
          edges.put(node, targets);
        }
      }
      return new Graph(edges, order);
    }

    /** Where a flow into {@code node} lands: its join gateway when it has one. */
    private static String entryOf(String node, Map<String, List<String>> predecessors) {
      return predecessors.getOrDefault(node, List.of()).size() > 1 ? "join_before_" + node : node;
    }

    List<String> successors(String node) {
      return edges.getOrDefault(node, List.of());
    }

    /** Nodes by column: the length of the longest path from the start. */
    Map<Integer, List<String>> columns() {
      Map<String, Integer> column = new HashMap<>();
      column.put(START, 0);
      for (String node : order) { // order is topological
        int here = column.getOrDefault(node, 0);
        for (String next : successors(node)) {
          column.merge(next, here + 1, Math::max);
        }
      }
      Map<Integer, List<String>> byColumn = new java.util.TreeMap<>();
      for (String node : order) {
        byColumn.computeIfAbsent(column.getOrDefault(node, 0), c -> new ArrayList<>()).add(node);
      }
      return byColumn;
    }
  }
}
