package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The step runs' table as the migration creates it, for tests that give it a database of their own. */
final class StepRunTable {

  private StepRunTable() {}

  static String ofTheMigrations() throws IOException {
    try (InputStream migration = StepRunTable.class.getResourceAsStream("/db/flowcast/V15__workers.sql")) {
      String text = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
      Matcher table = Pattern.compile("create table flowcast_step_run \\(.*?\\n\\);", Pattern.DOTALL).matcher(text);
      assertThat(table.find()).as("flowcast_step_run in V15__workers.sql").isTrue();
      return table.group();
    }
  }
}
