package dev.flowcast.composer;

import static dev.flowcast.composer.Fixtures.component;
import static dev.flowcast.composer.Fixtures.library;
import static dev.flowcast.composer.Fixtures.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.composer.CandidateGenerator.NoCandidateException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidateGeneratorTest {

  private final WorkflowTemplate report = sequence("run-report", "provision", "query");
  private final ComponentLibrary library =
      library(
          component("provision-spot", "provision", 2, "spot"),
          component("provision-on-demand", "provision", 2, "on-demand"),
          component("query-primary", "query", 1, "any"),
          component("query-replica", "query", 1, "any"));
  private final Set<String> pools = Set.of("spot", "on-demand");

  @Test
  void shouldBindEveryProviderInEveryPoolItMayRunIn() {
    List<Workflow> candidates = CandidateGenerator.candidates(report, library, pools, c -> true, 100);

    assertThat(candidates).hasSize(2 * 4);
    assertThat(candidates).extracting(Workflow::describe)
        .contains("step_1_provision=provision-spot@spot, step_2_query=query-replica@on-demand")
        .noneMatch(d -> d.contains("provision-spot@on-demand"));
  }

  @Test
  void shouldStopAtTheBound() {
    assertThat(CandidateGenerator.candidates(report, library, pools, c -> true, 3)).hasSize(3);
  }

  @Test
  void shouldLeaveOutComponentsTheUserMayNotStart() {
    List<Workflow> candidates =
        CandidateGenerator.candidates(report, library, pools, c -> !c.name().equals("query-replica"), 100);

    assertThat(candidates).hasSize(2 * 2).allMatch(w -> w.describe().contains("query-primary"));
  }

  @Test
  void shouldSayWhichCapabilityHasNoProvider() {
    WorkflowTemplate backup = sequence("backup", "snapshot");

    assertThatThrownBy(() -> CandidateGenerator.candidates(backup, library, pools, c -> true, 100))
        .isInstanceOf(NoCandidateException.class)
        .hasMessageContaining("no task component provides capability 'snapshot'")
        .matches(e -> !((NoCandidateException) e).forLackOfRights());
  }

  @Test
  void shouldSayWhenRightsAloneLeaveNoProvider() {
    assertThatThrownBy(() -> CandidateGenerator.candidates(report, library, pools, c -> c.capability().equals("query"), 100))
        .isInstanceOf(NoCandidateException.class)
        .hasMessageContaining("not authorized to start any component providing 'provision'")
        .matches(e -> ((NoCandidateException) e).forLackOfRights());
  }
}
