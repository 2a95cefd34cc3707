package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** The embedded default, H2 in a file, as the application opens it: its settings, on a file of its own. */
class EmbeddedDatabaseDefaultsTest {

  @Test
  void shouldKeepEnoughParsedStatementsForAnInstanceStart(@TempDir Path directory) throws Exception {
    String url = defaultUrl();
    assertThat(url).startsWith("jdbc:h2:file:");
    String settings = url.substring(url.indexOf(';'));
    try (Connection connection = DriverManager.getConnection(
            "jdbc:h2:file:" + directory.resolve("flowcast") + settings, "sa", "");
        ResultSet setting = connection.createStatement().executeQuery(
            "select setting_value from information_schema.settings where setting_name = 'QUERY_CACHE_SIZE'")) {
      assertThat(setting.next()).isTrue();
      // an instance's start and its history use well over a hundred distinct statements; H2 keeps 8 by default
      assertThat(Integer.parseInt(setting.getString(1))).isGreaterThanOrEqualTo(128);
    } catch (SQLException e) {
      throw new AssertionError("H2 refused the default URL's settings " + settings + ": " + e.getMessage(), e);
    }
  }

  private static String defaultUrl() throws Exception {
    for (PropertySource<?> source : new YamlPropertySourceLoader()
        .load("application.yml", new ClassPathResource("application.yml"))) {
      Object url = source.getProperty("spring.datasource.url");
      if (url != null) {
        return url.toString();
      }
    }
    throw new AssertionError("application.yml names no datasource");
  }
}
