package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The engine's definitions are indexed by key and version once the engine has started (H2 here; PostgreSQL in its own test). */
@FlowcastTest
class EngineIndexTest {

  @Autowired JdbcClient jdbc;

  @Test
  void shouldIndexTheEnginesDefinitionLookupByKeyAndVersion() {
    assertThat(jdbc.sql("select count(*) from information_schema.indexes where index_name = ?")
        .param(FlowcastEnginePlugin.DEFINITION_KEY_INDEX.toUpperCase()).query(Long.class).single()).isPositive();
  }
}
