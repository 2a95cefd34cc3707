package dev.flowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.activity.TimeFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line answers bad arguments and bad files with one clear line and exit code 2. */
class CommandLineErrorsTest {

  @TempDir Path folder;

  @Test
  void shouldAnswerAnUnknownOptionWithOneLineAndExitCode2() {
    Outcome outcome = run("evaluate", "--log", "log.csv", "--no-such-option");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("--no-such-option").contains("--help");
  }

  @Test
  void shouldAnswerAMissingFileWithOneLineAndExitCode2() {
    Outcome outcome = run("evaluate", "--log", folder.resolve("missing.csv").toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("missing.csv").doesNotContain("Exception", "\tat ");
  }

  @Test
  void shouldAnswerAWrongTimeFormatWithOneLineNamingTheFileLineAndExitCode2() throws Exception {
    Path log = folder.resolve("log.csv");
    Files.writeString(log, "CaseID,ActivityID,CompleteTimestamp\n1,open,24/11/2026 10:00\n");

    Outcome outcome = run("import", "--log", log.toString(), "--db-url", "jdbc:h2:mem:cli-errors");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 2").contains("24/11/2026 10:00").doesNotContain("\tat ")
        .contains("'yyyy-MM-dd HH:mm:ss' (for example 2026-11-24 09:05:00)");
  }

  @Test
  void shouldShowProgressAsAFewLinesWhenStandardErrorIsNotATerminal() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (Progress progress = new Progress("training", 1800)) {
      for (int round = 1; round <= 1800; round++) {
        progress.asStepTo().accept(round);
      }
    } finally {
      System.setErr(original);
    }

    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSizeLessThanOrEqualTo(11).last().isEqualTo("training: 100% (1800 of 1800)");
  }

  @Test
  void shouldReadHoursWithoutALeadingZeroWhenTheFormatSaysH() {
    assertThat(TimeFormat.of("yyyy-MM-dd H:mm:ss").parse("2026-11-24 9:05:00"))
        .isEqualTo(Instant.parse("2026-11-24T09:05:00Z"));
  }

  @Test
  void shouldAnswerAFormatThatIsNotAPatternWithOneLineAndExitCode2() throws Exception {
    Path log = folder.resolve("log.csv");
    Files.writeString(log, "CaseID,ActivityID,CompleteTimestamp\n1,open,2026-11-24 10:00:00\n");

    Outcome outcome = run("import", "--log", log.toString(), "--time-format", "yyyy-MM-dd {HH}", "--db-url",
        "jdbc:h2:mem:cli-format");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip().lines()).hasSize(1);
    assertThat(outcome.err()).contains("is not a java.time pattern");
  }

  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = FlowcastCommands.run(args);
      return new Outcome(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
