package dev.flowcast.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.ClassPathResource;

/**
 * Deploys the built-in {@code flowcast-queue} process once (again only when it changed), and makes
 * {@link QueuedRequests} list exactly its waiting requests (those queued before Flowcast kept the
 * list included).
 */
class QueueDeployment implements InitializingBean {

  /**
   * The process in the jar. Not named {@code *.bpmn}: Camunda's auto-deployment searches every jar
   * of an application's class path for those, and would deploy Flowcast's queue as part of the
   * application's own deployment.
   */
  static final String FILE = "bpmn/flowcast-queue.bpmn.xml";

  /** Its name in the deployment, unchanged since the first release, so an existing database sees no change. */
  static final String RESOURCE = "bpmn/flowcast-queue.bpmn";

  private final RepositoryService repository;
  private final RuntimeService runtime;
  private final QueuedRequests queued;

  QueueDeployment(RepositoryService repository, RuntimeService runtime, QueuedRequests queued) {
    this.repository = repository;
    this.runtime = runtime;
    this.queued = queued;
  }

  @Override
  public void afterPropertiesSet() {
    try (InputStream process = new ClassPathResource(FILE, QueueDeployment.class.getClassLoader()).getInputStream()) {
      repository
          .createDeployment()
          .name("flowcast-queue")
          .source("flowcast")
          .enableDuplicateFiltering(false)
          .addInputStream(RESOURCE, process)
          .deploy();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE + " from Flowcast's jar", e);
    }
    queued.matchTheQueue(runtime);
  }
}
