package dev.flowcast.composer;

import static dev.flowcast.BenchmarkApplication.median;
import static dev.flowcast.BenchmarkApplication.percentile;

import dev.flowcast.BenchmarkApplication;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain benchmark harness (not a test): what composing costs on the request path. In one
 * process, side by side and repeated: a composition request whose workflow is already deployed
 * (predict, profile, score, select, then its start: lock, check, reserve, log the decision, start
 * by the definition id this node remembers), its start timed on its own, against starting the same
 * BPMN deployed as a static process by its key, as the user (rights checked, as through the REST
 * API) and with no user; the decision alone
 * (predict, profile, candidates, score, select), with the user's rights as the composer gets them
 * (kept across requests), asked of the engine every time, and not checked; and a first composition,
 * its deployment included (the composed deployment removed before each). Prints medians, p95/p99
 * and ratios. The monitor measures a steady machine: what is timed here is the engine and the
 * composer, and on a busy benchmark machine nothing would fit. Run with bench/engine-cost.sh.
 */
public final class EngineCostBenchmark {

  public static void main(String[] args) throws Exception {
    int starts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int firsts = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (ConfigurableApplicationContext context = BenchmarkApplication.start("engine-cost", true)) {
      Composer composer = context.getBean(Composer.class);
      RuntimeService runtime = context.getBean(RuntimeService.class);
      RepositoryService repository = context.getBean(RepositoryService.class);

      CompositionResult first = compose(composer);
      String xml = new String(repository.getProcessModel(first.processDefinitionId()).readAllBytes(),
          StandardCharsets.UTF_8).replace("\"flowcast-run-report\"", "\"static-run-report\"");
      repository.createDeployment().name("benchmark-static").addString("static-run-report.bpmn", xml).deploy();
      runtime.deleteProcessInstance(first.processInstanceId(), "benchmark");
      Map<String, Object> variables = Map.of(ProcessVariables.USER, "alice", ProcessVariables.INTENT, "run-report");
      // a user starting the static process through the REST API or Tasklist is authenticated, and
      // the engine checks their rights: the same rights the composition has on its own key
      AuthorizationService authorizations = context.getBean(AuthorizationService.class);
      IdentityService identity = context.getBean(IdentityService.class);
      Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
      grant.setUserId("alice");
      grant.setResource(Resources.PROCESS_DEFINITION);
      grant.setResourceId("static-run-report");
      grant.addPermission(Permissions.CREATE_INSTANCE);
      authorizations.saveAuthorization(grant);
      List<String> groups = identity.createGroupQuery().groupMember("alice").list().stream().map(Group::getId).toList();
      Timer startStep = context.getBean(MeterRegistry.class).timer(DefaultComposer.METRIC_START, "intent", "run-report");
      System.out.printf("%d starts per measurement, %d repetitions, %d first compositions, %d cores%n",
          starts, repetitions, firsts, Runtime.getRuntime().availableProcessors());

      Series composed = new Series(starts, repetitions);
      Series composedStart = new Series(starts, repetitions);
      Series staticAsUser = new Series(starts, repetitions);
      Series staticAnonymous = new Series(starts, repetitions);
      for (int r = -2; r < repetitions; r++) {
        for (int i = 0; i < starts; i++) {
          double startStepBefore = startStep.totalTime(TimeUnit.MILLISECONDS);
          long started = System.nanoTime();
          CompositionResult result = compose(composer);
          composed.add(r, i, (System.nanoTime() - started) / 1e6);
          composedStart.add(r, i, startStep.totalTime(TimeUnit.MILLISECONDS) - startStepBefore);
          if (result.status() != CompositionResult.Status.STARTED) {
            throw new IllegalStateException("a composition did not start: " + result.status() + " " + result.reason());
          }
          runtime.deleteProcessInstance(result.processInstanceId(), "benchmark");
          String id;
          identity.setAuthentication("alice", groups);
          try {
            started = System.nanoTime();
            id = runtime.startProcessInstanceByKey("static-run-report", variables).getId();
            staticAsUser.add(r, i, (System.nanoTime() - started) / 1e6);
          } finally {
            identity.clearAuthentication();
          }
          runtime.deleteProcessInstance(id, "benchmark");
          started = System.nanoTime();
          id = runtime.startProcessInstanceByKey("static-run-report", variables).getId();
          staticAnonymous.add(r, i, (System.nanoTime() - started) / 1e6);
          runtime.deleteProcessInstance(id, "benchmark");
        }
      }
      composed.print("composition, deployed already (decision and start)");
      composedStart.print("the composition's start (from its decision: lock, check, start, reserve, log)");
      staticAsUser.print("static start by key, as the user");
      staticAnonymous.print("static start by key, no user (no rights checked)");
      System.out.printf("composition's start ÷ static start as the user: %.2f%n",
          composedStart.median() / staticAsUser.median());
      System.out.printf("whole composition ÷ static start as the user: %.2f%n",
          composed.median() / staticAsUser.median());
      System.out.printf("whole composition ÷ static start, no user: %.2f%n",
          composed.median() / staticAnonymous.median());

      // the decision alone, as the composer makes it: predict, profile, candidates with the user's
      // rights, score, select; no lock, no reservation, no decision row, no start
      IntentPredictor predictor = context.getBean(IntentPredictor.class);
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      TemplateLibrary templates = context.getBean(TemplateLibrary.class);
      ComponentLibrary components = context.getBean(ComponentLibrary.class);
      Scorer scorer = context.getBean(Scorer.class);
      // the rights as the composer gets them (the application's cache, kept across requests), and
      // asked of the engine every time (what a time to live of zero does)
      AuthorizationFilter authorization =
          new AuthorizationFilter(authorizations, identity, context.getBean(AuthorizationCache.class));
      AuthorizationFilter uncached =
          new AuthorizationFilter(authorizations, identity, new AuthorizationCache(Duration.ZERO));
      WorkflowTemplate template = templates.forIntent("run-report").orElseThrow();
      double[] decisions = new double[starts * repetitions];
      double[] decisionsUncached = new double[starts * repetitions];
      double[] decisionsWithoutRights = new double[starts * repetitions];
      for (int i = -starts; i < decisions.length; i++) {
        long started = System.nanoTime();
        decide(predictor, monitor, template, components, scorer, authorization, true);
        double withRights = (System.nanoTime() - started) / 1e6;
        started = System.nanoTime();
        decide(predictor, monitor, template, components, scorer, uncached, true);
        double withRightsUncached = (System.nanoTime() - started) / 1e6;
        started = System.nanoTime();
        decide(predictor, monitor, template, components, scorer, authorization, false);
        if (i >= 0) {
          decisions[i] = withRights;
          decisionsUncached[i] = withRightsUncached;
          decisionsWithoutRights[i] = (System.nanoTime() - started) / 1e6;
        }
      }
      System.out.printf("decision (predict, profile, candidates, score, select): p50 %.2f ms, p99 %.2f ms%n",
          median(decisions), percentile(decisions, 99));
      System.out.printf("the same, rights asked of the engine every time:        p50 %.2f ms, p99 %.2f ms%n",
          median(decisionsUncached), percentile(decisionsUncached, 99));
      System.out.printf("the same without the rights checks:                     p50 %.2f ms, p99 %.2f ms%n",
          median(decisionsWithoutRights), percentile(decisionsWithoutRights, 99));

      double[] deployed = new double[firsts];
      for (int i = 0; i < firsts; i++) {
        repository.createDeploymentQuery().list().stream()
            .filter(d -> repository.createProcessDefinitionQuery().deploymentId(d.getId())
                .processDefinitionKey("flowcast-run-report").count() > 0)
            .forEach(d -> repository.deleteDeployment(d.getId(), true));
        long started = System.nanoTime();
        CompositionResult result = compose(composer);
        deployed[i] = (System.nanoTime() - started) / 1e6;
        runtime.deleteProcessInstance(result.processInstanceId(), "benchmark");
      }
      System.out.printf("first composition, deployment included: median %.1f ms, p95 %.1f ms%n",
          median(deployed), percentile(deployed, 95));
    }
  }

  private static ScoredWorkflow decide(IntentPredictor predictor, ResourceMonitor monitor, WorkflowTemplate template,
      ComponentLibrary components, Scorer scorer, AuthorizationFilter authorization, boolean checkRights) {
    Instant now = Instant.now();
    IntentPrediction prediction = predictor.predict("alice", Set.of("run-report", "scale-service",
        "backup-database", "replicate-database"), now);
    ResourceProfile profile = monitor.profile(now);
    List<String> groups = checkRights ? authorization.groupsOf("alice") : List.of();
    Map<String, Boolean> permitted = new HashMap<>();
    List<Workflow> candidates = CandidateGenerator.candidates(template, components, profile.pools().keySet(),
        c -> !checkRights || permitted.computeIfAbsent(c.processKey(), key -> authorization.mayStart("alice", groups, key)),
        512);
    return scorer.score(candidates, prediction.probabilityOf("run-report"), profile).stream()
        .filter(s -> s.score().feasible()).findFirst().orElseThrow();
  }

  /** Times of repeated measurements: the median of the repetitions' medians, and a percentile over all. */
  private static final class Series {
    private final double[][] times;

    Series(int starts, int repetitions) {
      times = new double[repetitions][starts];
    }

    /** Warm-up repetitions (negative) are not kept. */
    void add(int repetition, int index, double millis) {
      if (repetition >= 0) {
        times[repetition][index] = millis;
      }
    }

    double median() {
      return BenchmarkApplication.median(Arrays.stream(times).mapToDouble(BenchmarkApplication::median).toArray());
    }

    void print(String what) {
      double[] all = Arrays.stream(times).flatMapToDouble(Arrays::stream).toArray();
      System.out.printf("%-80s median %.2f ms, p99 %.2f ms%n", what + ":", median(), percentile(all, 99));
    }
  }

  private static CompositionResult compose(Composer composer) {
    return composer.compose(new CompositionRequest("alice", "run-report", Map.of(), null,
        CompositionRequest.Origin.REQUEST));
  }
}
