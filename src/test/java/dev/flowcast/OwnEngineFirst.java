package dev.flowcast;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * While a test runs, the engine its application context holds is the one the JVM's engine registry
 * holds under that engine's name, as in production, where one application runs per JVM. The engine
 * REST API and the webapps find their engine by name in that registry, and the test framework keeps
 * every context it has started alive in the same JVM: without this, the context started last would
 * answer {@code /engine-rest} and Cockpit for all of them. Registered for every Spring test in
 * {@code META-INF/spring.factories}.
 */
public class OwnEngineFirst implements TestExecutionListener, Ordered {

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext.getApplicationContext().getBeanProvider(ProcessEngine.class)
          .ifUnique(ProcessEngines::registerProcessEngine);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
