package dev.flowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database the command line is told to use is the one it uses, whatever the configuration files say. */
class DatabaseOptionTest {

  @TempDir Path folder;

  @Test
  void shouldImportIntoTheDatabaseGivenWithDbUrl() throws Exception {
    Path log = folder.resolve("log.csv");
    Files.writeString(log, "CaseID,ActivityID,CompleteTimestamp\n1,open,2012-01-01 10:00:00\n1,close,2012-01-01 10:05:00\n"
        + "2,open,2012-01-02 09:00:00\n");
    String url = "jdbc:h2:file:" + folder.resolve("given") + ";AUTO_SERVER=TRUE";

    int code = FlowcastCommands.run(new String[] {"import", "--log", log.toString(), "--db-url", url});

    assertThat(code).isZero();
    try (Connection db = DriverManager.getConnection(url, "sa", "");
        ResultSet rows = db.createStatement().executeQuery("select count(*) from flowcast_activity")) {
      rows.next();
      assertThat(rows.getLong(1)).as("the events are in the database given").isEqualTo(3);
    }
  }

  @Test
  void shouldSayInOneLineThatTheDatabaseCannotBeUsedWithoutStackTraces() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    int unreachable;
    int notAUrl;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
      unreachable = FlowcastCommands.run(new String[] {"train", "--db-url", "jdbc:h2:tcp://localhost:1/nothing"});
      notAUrl = FlowcastCommands.run(new String[] {"train", "--db-url", "nonsense"});
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    assertThat(unreachable).isEqualTo(2);
    assertThat(notAUrl).isEqualTo(2);
    assertThat(said.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("train: cannot use the database jdbc:h2:tcp://localhost:1/nothing: ")
        .contains("--db-url must be a JDBC URL");
    assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ", "Exception");
  }
}
