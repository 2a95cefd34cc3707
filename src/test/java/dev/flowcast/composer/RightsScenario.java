package dev.flowcast.composer;

import dev.flowcast.EngineFixture;
import dev.flowcast.resources.PriceCatalog;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the scenarios of rights changing between compositions share: the engine and the composer,
 * users given rights and rights taken away ({@link RightsFixture}), and the instances and pools put
 * back after each test.
 */
abstract class RightsScenario {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired IdentityService identity;
  @Autowired AuthorizationService authorizations;
  @Autowired JdbcClient jdbc;
  @Autowired AuthorizationCache cache;

  EngineFixture fixture;
  RightsFixture rights;

  @BeforeEach
  void setUpFixtures() {
    fixture = new EngineFixture(engine, composer, catalog);
    rights = new RightsFixture(identity, authorizations, jdbc);
  }

  @AfterEach
  void tearDownFixtures() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
  }
}
