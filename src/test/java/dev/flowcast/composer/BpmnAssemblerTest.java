package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.bind;
import static dev.flowcast.composer.Fixtures.component;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.junit.jupiter.api.Test;

/** What the assembled BPMN of a parallel template looks like, and that it is the same every time. */
class BpmnAssemblerTest {

  private final BpmnAssembler assembler = new BpmnAssembler("30");
  private final WorkflowTemplate fanOut =
      Fixtures.diamond("scale-service", "scale", List.of("warm-cache", "notify"), "report");
  private final Workflow workflow =
      bind(fanOut,
          component("scale-out-spot", "scale", 4, "spot"),
          component("cache-warm", "warm-cache", 1, "any"),
          component("notify-chat", "notify", 0.1, "any"),
          component("render-report", "report", 2, "any"));

  @Test
  void shouldCallOnePinnedComponentPerStepAsyncBefore() {
    BpmnModelInstance model = assembler.assemble(workflow, "abc");

    List<CallActivity> steps = List.copyOf(model.getModelElementsByType(CallActivity.class));
    assertThat(steps).extracting(BaseElement::getId)
        .containsExactlyInAnyOrder("step_1_scale", "step_2_warm_cache", "step_3_notify", "step_4_report");
    CallActivity scale = model.getModelElementById("step_1_scale");
    assertThat(scale.getCalledElement()).isEqualTo("component-scale-out-spot");
    assertThat(scale.getCamundaCalledElementBinding()).isEqualTo("version");
    assertThat(scale.getCamundaCalledElementVersion()).isEqualTo("1");
    assertThat(steps).allMatch(CallActivity::isCamundaAsyncBefore);
  }

  @Test
  void shouldForkAndJoinWithParallelGatewaysWhereTheDagBranches() {
    BpmnModelInstance model = assembler.assemble(workflow, "abc");

    ParallelGateway fork = model.getModelElementById("fork_after_step_1_scale");
    ParallelGateway join = model.getModelElementById("join_before_step_4_report");
    assertThat(fork.getOutgoing()).extracting(f -> f.getTarget().getId())
        .containsExactlyInAnyOrder("step_2_warm_cache", "step_3_notify");
    assertThat(join.getIncoming()).extracting(f -> f.getSource().getId())
        .containsExactlyInAnyOrder("step_2_warm_cache", "step_3_notify");
    assertThat(join.getOutgoing()).extracting(f -> f.getTarget().getId()).containsExactly("step_4_report");
  }

  @Test
  void shouldGiveEveryElementAnIdDerivedFromTheWorkflow() {
    String xml = Bpmn.convertToString(assembler.assemble(workflow, "abc"));

    assertThat(xml).doesNotContainPattern("(sequenceFlow|BPMNShape|BPMNEdge|BPMNDiagram|BPMNPlane|definitions)_[0-9a-f]{8}-");
    assertThat(xml).contains("id=\"flow_step_1_scale_to_fork_after_step_1_scale\"", "id=\"step_1_scale_di\"");
  }

  @Test
  void shouldWriteTheSameXmlForTheSameWorkflow() {
    String first = Bpmn.convertToString(assembler.assemble(workflow, "abc"));
    String second = Bpmn.convertToString(assembler.assemble(workflow, "abc"));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void shouldDrawParallelBranchesApartAndEveryElementOnce() {
    BpmnModelInstance model = assembler.assemble(workflow, "abc");

    List<BpmnShape> shapes = List.copyOf(model.getModelElementsByType(BpmnShape.class));
    assertThat(shapes).hasSize(model.getModelElementsByType(FlowNode.class).size());
    Bounds warm = shape(shapes, "step_2_warm_cache");
    Bounds notify = shape(shapes, "step_3_notify");
    assertThat(warm.getX()).isEqualTo(notify.getX());
    assertThat(Math.abs(warm.getY() - notify.getY())).isGreaterThanOrEqualTo(warm.getHeight());
    assertThat(model.getModelElementsByType(SequenceFlow.class).stream()
            .map(SequenceFlow::getDiagramElement).filter(edge -> edge == null).collect(Collectors.toList()))
        .as("every flow has an edge").isEmpty();
  }

  private static Bounds shape(List<BpmnShape> shapes, String elementId) {
    return shapes.stream().filter(s -> s.getBpmnElement().getId().equals(elementId)).findFirst().orElseThrow().getBounds();
  }
}
