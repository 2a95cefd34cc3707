package dev.flowcast.composer;

import static dev.flowcast.BenchmarkApplication.median;
import static dev.flowcast.BenchmarkApplication.percentile;

import dev.flowcast.BenchmarkApplication;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.ResourceMonitor;
import dev.flowcast.resources.ResourceProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain benchmark harness (not a test): what composing costs on the request path. In one
 * process, side by side and repeated: a composition request whose workflow is already deployed
 * (predict, profile, score, select, reserve, log the decision, start by the cached definition id)
 * against starting the same BPMN deployed as a static process by its key; the decision alone
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
      System.out.printf("%d starts per measurement, %d repetitions, %d first compositions, %d cores%n",
          starts, repetitions, firsts, Runtime.getRuntime().availableProcessors());

      double[] composedMedians = new double[repetitions];
      double[] staticMedians = new double[repetitions];
      double[] composedAll = new double[starts * repetitions];
      double[] staticAll = new double[starts * repetitions];
      for (int r = -2; r < repetitions; r++) {
        double[] composed = new double[starts];
        double[] plain = new double[starts];
        for (int i = 0; i < starts; i++) {
          long started = System.nanoTime();
          CompositionResult result = compose(composer);
          composed[i] = (System.nanoTime() - started) / 1e6;
          if (result.status() != CompositionResult.Status.STARTED) {
            throw new IllegalStateException("a composition did not start: " + result.status() + " " + result.reason());
          }
          runtime.deleteProcessInstance(result.processInstanceId(), "benchmark");
          started = System.nanoTime();
          String id = runtime.startProcessInstanceByKey("static-run-report", variables).getId();
          plain[i] = (System.nanoTime() - started) / 1e6;
          runtime.deleteProcessInstance(id, "benchmark");
        }
        if (r >= 0) {
          composedMedians[r] = median(composed);
          staticMedians[r] = median(plain);
          System.arraycopy(composed, 0, composedAll, r * starts, starts);
          System.arraycopy(plain, 0, staticAll, r * starts, starts);
        }
      }
      System.out.printf("composition, deployed already: median %.2f ms, p99 %.2f ms%n",
          median(composedMedians), percentile(composedAll, 99));
      System.out.printf("static start by key:           median %.2f ms, p99 %.2f ms%n",
          median(staticMedians), percentile(staticAll, 99));
      System.out.printf("composition ÷ static start: %.2f%n", median(composedMedians) / median(staticMedians));

      // the decision alone, as the composer makes it: predict, profile, candidates with the user's
      // rights, score, select; no lock, no reservation, no decision row, no start
      IntentPredictor predictor = context.getBean(IntentPredictor.class);
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      TemplateLibrary templates = context.getBean(TemplateLibrary.class);
      ComponentLibrary components = context.getBean(ComponentLibrary.class);
      Scorer scorer = context.getBean(Scorer.class);
      // the rights as the composer gets them (the application's cache, kept across requests), and
      // asked of the engine every time (what a time to live of zero does)
      AuthorizationService authorizations = context.getBean(AuthorizationService.class);
      IdentityService identity = context.getBean(IdentityService.class);
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

  private static CompositionResult compose(Composer composer) {
    return composer.compose(new CompositionRequest("alice", "run-report", Map.of(), null,
        CompositionRequest.Origin.REQUEST));
  }
}
