package dev.flowcast.composer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a composed workflow once per distinct composition. The composition's fingerprint (its
 * template, bound component versions and pools) is the definition's version tag and names the
 * deployment, so a second request for the same composition finds the definition already there.
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

  Deployer(RepositoryService repository, BpmnAssembler assembler, MeterRegistry meters) {
    this.repository = repository;
    this.assembler = assembler;
    this.meters = meters;
  }

  /** A definition, and whether this call deployed it. */
  record Deployed(ProcessDefinition definition, boolean created) {}

  /** The deployed definition of this workflow: found by its fingerprint, or deployed now. */
  Deployed deploy(Workflow workflow) {
    String fingerprint = fingerprint(workflow);
    ProcessDefinition existing = find(workflow.processKey(), fingerprint);
    if (existing != null) {
      meters.counter(METRIC_DEPLOYMENTS, "intent", workflow.intent(), "outcome", "reused").increment();
      return new Deployed(existing, false);
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
    return new Deployed(deployed, true);
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

  static String fingerprint(Workflow workflow) {
    StringBuilder text = new StringBuilder("assembly=").append(ASSEMBLY_VERSION);
    text.append("|template=").append(workflow.template().fingerprint());
    for (Task task : workflow.tasks()) {
      text.append('|').append(task.stepId())
          .append('=').append(task.component().processDefinitionId())
          .append('@').append(task.pool());
    }
    return BpmnFiles.sha256(text.toString());
  }
}
