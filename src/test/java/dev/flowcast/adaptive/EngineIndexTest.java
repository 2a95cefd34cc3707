package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import javax.xml.datatype.DatatypeFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Once the engine has started, its definitions are indexed by key and version (H2 here; PostgreSQL
 * in its own test), and the provider of the XML durations its timers read is named
 * ({@link DatatypeFactoryProviderTest}).
 */
@FlowcastTest
class EngineIndexTest {

  @Autowired JdbcClient jdbc;

  @Test
  void shouldIndexTheEnginesDefinitionLookupByKeyAndVersion() {
    assertThat(jdbc.sql("select count(*) from information_schema.indexes where index_name = ?")
        .param(FlowcastEnginePlugin.DEFINITION_KEY_INDEX.toUpperCase()).query(Long.class).single()).isPositive();
  }

  @Test
  void shouldHaveNamedTheProviderOfTheDurationsTimersRead() {
    assertThat(System.getProperty(DatatypeFactory.DATATYPEFACTORY_PROPERTY)).isNotBlank();
  }
}
