package dev.flowcast.composer;

import org.camunda.bpm.engine.RepositoryService;
import org.springframework.beans.factory.InitializingBean;

/** Deploys the built-in {@code flowcast-queue} process once (again only when it changed). */
class QueueDeployment implements InitializingBean {

  static final String RESOURCE = "bpmn/flowcast-queue.bpmn";

  private final RepositoryService repository;

  QueueDeployment(RepositoryService repository) {
    this.repository = repository;
  }

  @Override
  public void afterPropertiesSet() {
    repository
        .createDeployment()
        .name("flowcast-queue")
        .source("flowcast")
        .enableDuplicateFiltering(false)
        .addClasspathResource(RESOURCE)
        .deploy();
  }
}
