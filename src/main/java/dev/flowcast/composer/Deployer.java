package dev.flowcast.composer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Deploys a composed workflow once per distinct composition. The composition's fingerprint (its
 * template, bound component versions and pools) is the definition's version tag and names the
 * deployment, so a second request for the same composition finds the definition already there.
 * The composer's start asks for the definition this node remembers, without a query; a definition
 * whose deployment was deleted since (here or on another node) fails that start, is forgotten, and
 * the composition is tried again.
 */
final class Deployer {

  private static final Logger log = LoggerFactory.getLogger(Deployer.class);
  /** Changes whenever the assembler writes different BPMN for the same workflow. */
  static final String ASSEMBLY_VERSION = "1";
  static final String DEPLOYMENT_SOURCE = "flowcast-composer";
  /** The extension namespace of Camunda 7's models, which Operaton reads as its own. */
  static final String CAMUNDA_EXTENSIONS = "http://camunda.org/schema/1.0/bpmn";
  /** Operaton's, in which its model API writes extensions and which Camunda 7 does not read. */
  static final String OPERATON_EXTENSIONS = "http://operaton.org/schema/1.0/bpmn";

  /** Counts compositions that found their definition deployed (a proactive hit) or deployed it. */
  static final String METRIC_DEPLOYMENTS = "flowcast.compositions.deployments";

  private final RepositoryService repository;
  private final BpmnAssembler assembler;
  private final MeterRegistry meters;
  private final Runnable deploymentLock;

  /** A deployer whose callers never deploy at the same moment (one thread, one node). */
  Deployer(RepositoryService repository, BpmnAssembler assembler, MeterRegistry meters) {
    this(repository, assembler, meters, () -> { });
  }

  /**
   * @param deploymentLock taken, until the caller's transaction ends, before a composition is looked
   *     up to be deployed: two requests on any nodes that both find it missing would otherwise both
   *     deploy it, as the same version of the same key
   */
  Deployer(RepositoryService repository, BpmnAssembler assembler, MeterRegistry meters, Runnable deploymentLock) {
    this.repository = repository;
    this.assembler = assembler;
    this.meters = meters;
    this.deploymentLock = deploymentLock;
  }

  /**
   * Definitions found or deployed by this node, once their transaction committed, by what the
   * fingerprint is worked out from (a short text): a start looks its definition up without hashing.
   */
  private final Map<String, ProcessDefinition> remembered = new ConcurrentHashMap<>();

  /**
   * A definition; whether this call deployed it; whether it was remembered rather than asked of
   * the engine (then its deployment may have been deleted since: see {@link #forget}).
   */
  record Deployed(ProcessDefinition definition, boolean created, boolean remembered) {}

  /** The deployed definition of this workflow: found by its fingerprint, or deployed now. */
  Deployed deploy(Workflow workflow) {
    return deploy(workflow, composition(workflow));
  }

  /** As {@link #deploy}, but the definition this node remembers for the workflow when there is one. */
  Deployed rememberedOrDeploy(Workflow workflow) {
    String composition = composition(workflow);
    ProcessDefinition known = remembered.get(composition);
    if (known != null) {
      meters.counter(METRIC_DEPLOYMENTS, "intent", workflow.intent(), "outcome", "reused").increment();
      return new Deployed(known, false, true);
    }
    return deploy(workflow, composition);
  }

  /**
   * Takes the deployment lock now, until the caller's transaction ends: for a caller that holds
   * pools' locks next and may deploy after them, so that every caller takes the two in the same
   * order (the deployment lock first) and none waits for another in a circle.
   */
  void holdDeployments() {
    deploymentLock.run();
  }

  /** Whether this node remembers a definition of this workflow (found or deployed in a committed transaction). */
  boolean remembers(Workflow workflow) {
    return remembered.containsKey(composition(workflow));
  }

  /** Forgets the definition remembered for this workflow: its deployment is gone. */
  void forget(Workflow workflow) {
    remembered.remove(composition(workflow));
  }

  private Deployed deploy(Workflow workflow, String composition) {
    String fingerprint = BpmnFiles.sha256(composition);
    deploymentLock.run();
    ProcessDefinition existing = find(workflow.processKey(), fingerprint);
    if (existing != null) {
      meters.counter(METRIC_DEPLOYMENTS, "intent", workflow.intent(), "outcome", "reused").increment();
      rememberOnCommit(composition, existing);
      return new Deployed(existing, false, false);
    }
    BpmnModelInstance model = assembler.assemble(workflow, fingerprint);
    // Identical XML under the same name is filtered by the engine: a second node deploying the
    // same composition at the same moment does not add a version.
    List<ProcessDefinition> deployedNow =
        repository
            .createDeployment()
            .name(workflow.processKey() + "-" + fingerprint.substring(0, 12))
            .source(DEPLOYMENT_SOURCE)
            .enableDuplicateFiltering(false)
            .addString(workflow.processKey() + ".bpmn", xml(model))
            .deployWithResult()
            .getDeployedProcessDefinitions();
    // Inside a job (the queue) the deployment is not flushed yet, so a query cannot see it: use
    // what the deployment returned; it returns nothing when the engine filtered a duplicate.
    ProcessDefinition deployed =
        deployedNow == null || deployedNow.isEmpty() ? find(workflow.processKey(), fingerprint) : deployedNow.get(0);
    log.info("FLOWCAST-010 deployed {} version {} for {}", deployed.getKey(), deployed.getVersion(), workflow.describe());
    meters.counter(METRIC_DEPLOYMENTS, "intent", workflow.intent(), "outcome", "deployed").increment();
    rememberOnCommit(composition, deployed);
    return new Deployed(deployed, true, false);
  }

  /** A deployment rolled back with its transaction must not be remembered. */
  private void rememberOnCommit(String composition, ProcessDefinition definition) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      remembered.put(composition, definition);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        remembered.put(composition, definition);
      }
    });
  }

  /**
   * The model's XML with its extensions in Camunda 7's namespace, on either engine (on Camunda this
   * changes nothing): a definition composed on Operaton then runs the same on Camunda, whose
   * parser would skip Operaton's namespace and with it the called versions, the jobs and the step
   * properties, on a database moved back to Camunda or shared by nodes of both mid-upgrade.
   */
  static String xml(BpmnModelInstance model) {
    return Bpmn.convertToString(model).replace(OPERATON_EXTENSIONS, CAMUNDA_EXTENSIONS);
  }

  private ProcessDefinition find(String key, String fingerprint) {
    List<ProcessDefinition> definitions =
        repository
            .createProcessDefinitionQuery()
            .processDefinitionKey(key)
            .versionTag(fingerprint)
            .orderByProcessDefinitionVersion()
            .asc()
            .list();
    return definitions.isEmpty() ? null : definitions.get(0);
  }

  /** What makes two compositions the same deployment: the assembly, the template and every binding. */
  private static String composition(Workflow workflow) {
    StringBuilder text = new StringBuilder("assembly=").append(ASSEMBLY_VERSION);
    text.append("|template=").append(workflow.template().fingerprint());
    for (Task task : workflow.tasks()) {
      text.append('|').append(task.stepId())
          .append('=').append(task.component().processDefinitionId())
          .append('@').append(task.pool());
    }
    return text.toString();
  }
}
