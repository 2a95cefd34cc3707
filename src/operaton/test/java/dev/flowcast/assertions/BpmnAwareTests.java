package dev.flowcast.assertions;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.history.HistoricActivityInstance;
import org.operaton.bpm.engine.history.HistoricProcessInstance;
import org.operaton.bpm.engine.runtime.ProcessInstance;

/**
 * The part of the engine's assertion library (camunda-bpm-assert's {@code BpmnAwareTests}) that
 * Flowcast's engine tests use, for the Operaton build: Operaton's own {@code operaton-bpm-assert}
 * is not published on Maven Central. The Operaton profile compiles the tests with this class in
 * its place (docs/decisions/0014-operaton.md); the assertions read the same engine state the
 * library reads: the runtime's active activities and the history's finished ones.
 */
public final class BpmnAwareTests {

  private static ProcessEngine engine;

  private BpmnAwareTests() {
  }

  /** The engine the assertions read, as the library's {@code init} binds it. */
  public static void init(ProcessEngine processEngine) {
    engine = requireNonNull(processEngine, "engine");
  }

  public static ProcessInstanceAssert assertThat(ProcessInstance actual) {
    if (engine == null) {
      throw new IllegalStateException("call BpmnAwareTests.init(engine) before asserting on an instance");
    }
    return new ProcessInstanceAssert(engine, actual);
  }

  /** Assertions on one process instance, by its id. */
  public static final class ProcessInstanceAssert extends AbstractAssert<ProcessInstanceAssert, ProcessInstance> {

    private final ProcessEngine engine;

    ProcessInstanceAssert(ProcessEngine engine, ProcessInstance actual) {
      super(actual, ProcessInstanceAssert.class);
      this.engine = engine;
    }

    /** The instance was started: the history knows it. */
    public ProcessInstanceAssert isStarted() {
      isNotNull();
      if (historic() == null) {
        failWithMessage("expected process instance %s to be started, but the history does not know it", id());
      }
      return this;
    }

    /** The instance has ended: no longer in the runtime, and ended in the history. */
    public ProcessInstanceAssert isEnded() {
      isNotNull();
      boolean running = engine.getRuntimeService().createProcessInstanceQuery()
          .processInstanceId(id()).count() > 0;
      HistoricProcessInstance historic = historic();
      if (running || historic == null || historic.getEndTime() == null) {
        failWithMessage("expected process instance %s to be ended, but it %s", id(),
            running ? "is still running, active at " + active() : "is unknown to the history");
      }
      return this;
    }

    /** The instance is running and each activity is active now. */
    public ProcessInstanceAssert isWaitingAt(String... activityIds) {
      isNotNull();
      boolean running = engine.getRuntimeService().createProcessInstanceQuery()
          .processInstanceId(id()).count() > 0;
      if (!running) {
        failWithMessage("expected process instance %s to be waiting at %s, but it has ended",
            id(), Arrays.toString(activityIds));
      }
      Set<String> active = active();
      if (!active.containsAll(Arrays.asList(activityIds))) {
        failWithMessage("expected process instance %s to be waiting at %s, but it is active at %s",
            id(), Arrays.toString(activityIds), active);
      }
      return this;
    }

    /** Each activity has been completed at least once. */
    public ProcessInstanceAssert hasPassed(String... activityIds) {
      isNotNull();
      Set<String> passed = passed();
      if (!passed.containsAll(Arrays.asList(activityIds))) {
        failWithMessage("expected process instance %s to have passed %s, but it passed %s",
            id(), Arrays.toString(activityIds), passed);
      }
      return this;
    }

    /** None of the activities has been completed. */
    public ProcessInstanceAssert hasNotPassed(String... activityIds) {
      isNotNull();
      Set<String> passed = passed();
      List<String> wrongly = Arrays.stream(activityIds).filter(passed::contains).toList();
      if (!wrongly.isEmpty()) {
        failWithMessage("expected process instance %s not to have passed %s, but it passed %s",
            id(), wrongly, passed);
      }
      return this;
    }

    private String id() {
      return actual.getId();
    }

    private HistoricProcessInstance historic() {
      return engine.getHistoryService().createHistoricProcessInstanceQuery()
          .processInstanceId(id()).singleResult();
    }

    private Set<String> active() {
      return new TreeSet<>(engine.getRuntimeService().getActiveActivityIds(id()));
    }

    private Set<String> passed() {
      Set<String> passed = new TreeSet<>();
      for (HistoricActivityInstance activity : engine.getHistoryService().createHistoricActivityInstanceQuery()
          .processInstanceId(id()).finished().list()) {
        passed.add(activity.getActivityId());
      }
      return passed;
    }
  }
}
