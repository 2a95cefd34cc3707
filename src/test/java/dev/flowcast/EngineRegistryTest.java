package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestContextManager;

/**
 * The engine REST API and the webapps keep their state in statics, one per JVM, which every
 * application context the tests keep shares: a test's application still answers {@code /engine-rest}
 * and Cockpit with its own engine after another application started and closed in the JVM.
 */
@FlowcastTest
class EngineRegistryTest {

  @Autowired ProcessEngine engine;
  @Autowired TestRestTemplate rest;

  @Test
  void shouldKeepAnsweringWithItsEngineAfterASeparateApplicationStartedAndClosed() {
    assertThat(ProcessEngines.getProcessEngine(engine.getName())).isSameAs(engine);

    SeparateApplication.startAndClose();

    assertThat(ProcessEngines.getProcessEngine(engine.getName())).isSameAs(engine);
    assertEngineRestAndCockpitAnswer();
  }

  @Test
  void shouldAnswerWithItsOwnEngineAgainWhenItsNextTestStarts(TestInfo test) throws Exception {
    // what the test framework runs before each test of this class (on its context, from its cache)
    TestContextManager testFramework = new TestContextManager(EngineRegistryTest.class);
    Method aTest = test.getTestMethod().orElseThrow();

    // given: another application whose engine has this one's name, started after it
    try (ConfigurableApplicationContext other = new SpringApplicationBuilder(FlowcastApplication.class).profiles("test")
        .run("--spring.datasource.url=jdbc:h2:mem:same-engine-name-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            "--camunda.bpm.webapp.enabled=false", "--server.port=0", "--server.address=127.0.0.1")) {
      assertThat(ProcessEngines.getProcessEngine(engine.getName())).isSameAs(other.getBean(ProcessEngine.class));

      // when: a test of this application starts
      testFramework.beforeTestMethod(this, aTest);

      // then
      assertThat(ProcessEngines.getProcessEngine(engine.getName())).isSameAs(engine);
      assertEngineRestAndCockpitAnswer();
    }

    // and: the other application closed, taking the name's entry with it; the next test finds its engine again
    assertThat(ProcessEngines.getProcessEngine(engine.getName())).isNull();
    testFramework.beforeTestMethod(this, aTest);
    assertThat(ProcessEngines.getProcessEngine(engine.getName())).isSameAs(engine);
    assertEngineRestAndCockpitAnswer();
  }

  private void assertEngineRestAndCockpitAnswer() {
    assertThat(rest.getForEntity("/engine-rest/process-definition", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.withBasicAuth("demo", "demo").getForEntity("/engine-rest/process-definition", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(rest.getForEntity("/camunda/app/cockpit/" + engine.getName() + "/", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }
}
