package dev.flowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import dev.flowcast.activity.TimeFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line answers bad arguments and bad files with one clear line and exit code 2: which
 * line of the file, what was expected, an example of it, and the option that would fix it.
 */
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
  void shouldSayANumberIsExpectedWithoutNamingAJavaType() {
    Outcome whole = run("simulate", "--seed", "abc");
    Outcome fraction = run("simulate", "--speedup", "fast");

    assertThat(whole.code()).isEqualTo(2);
    assertThat(whole.err()).contains("'abc' is not a whole number").doesNotContain("long");
    assertThat(fraction.code()).isEqualTo(2);
    assertThat(fraction.err()).contains("'fast' is not a number").doesNotContain("double");
  }

  @Test
  void shouldSayALogWithoutCasesCannotBeEvaluatedInsteadOfFailingInTheBooster() throws Exception {
    Path header = log("CaseID,ActivityID,CompleteTimestamp\n");

    Outcome outcome = run("evaluate", "--log", header.toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("log.csv: 0 case(s); evaluating needs 3").doesNotContain("XGBoost");
  }

  @Test
  void shouldRefuseAStepThatIsNotAPositiveDurationAndNameTheCommandItWasGivenTo() throws Exception {
    Path series = folder.resolve("series.csv");
    Files.writeString(series, "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,2\n");

    Outcome zero = run("evaluate-demand", "--series", series.toString(), "--step", "0m");
    Outcome negative = run("evaluate-demand", "--series", series.toString(), "--step", "-5m");
    Outcome projection = run("evaluate-projection", "--series", series.toString(), "--step", "soon");

    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--step must be a positive duration").contains("'0m'");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("'-5m'");
    assertThat(projection.code()).isEqualTo(2);
    assertThat(projection.err()).startsWith("evaluate-projection:").contains("evaluate-projection --help");
  }

  @Test
  void shouldNameTheFileAndSayWhatIsWrongWithItWhenItIsNoText() throws Exception {
    Path binary = folder.resolve("binary.csv");
    Files.write(binary, new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, (byte) 0xFE});
    Files.createDirectory(folder.resolve("a-folder"));
    Outcome log = run("evaluate", "--log", binary.toString());
    Outcome folderAsLog = run("evaluate", "--log", folder.resolve("a-folder").toString());
    Outcome series = run("evaluate-demand", "--series", binary.toString());

    assertThat(log.code()).isEqualTo(2);
    assertThat(log.err()).contains("binary.csv: not UTF-8 text").doesNotContain("Input length");
    assertThat(folderAsLog.code()).isEqualTo(2);
    assertThat(folderAsLog.err()).contains("a-folder: is a directory");
    assertThat(series.code()).isEqualTo(2);
    assertThat(series.err()).contains("binary.csv: not UTF-8 text");
  }

  @Test
  void shouldReadALogThatBeginsWithAByteOrderMark() throws Exception {
    Path log = log("\uFEFFCaseID,ActivityID,CompleteTimestamp\n1,open,2012-01-01 10:00:00\n1,close,2012-01-01 10:05:00\n"
        + "2,open,2012-01-02 10:00:00\n2,close,2012-01-02 10:05:00\n3,open,2012-01-03 10:00:00\n3,close,2012-01-03 10:05:00\n");

    Outcome outcome = run("evaluate", "--log", log.toString());

    assertThat(outcome.err()).doesNotContain("no column");
    assertThat(outcome.code()).isZero();
  }

  @Test
  void shouldAnswerAMissingFileWithOneLineAndExitCode2() {
    Outcome outcome = run("evaluate", "--log", folder.resolve("missing.csv").toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("missing.csv: no such file").doesNotContain("Exception", "\tat ");
  }

  @Test
  void shouldAnswerAWrongTimeFormatWithOneLineNamingTheFileLineAndExitCode2() throws Exception {
    Path log = log("CaseID,ActivityID,CompleteTimestamp\n1,open,24/11/2026 10:00\n");

    Outcome outcome = run("import", "--log", log.toString(), "--db-url", "jdbc:h2:mem:cli-errors");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().strip().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 2").contains("24/11/2026 10:00").doesNotContain("\tat ")
        .contains("'yyyy-MM-dd HH:mm:ss' (for example 2026-11-24 09:05:00)").contains("nothing imported");
  }

  @Test
  void shouldNameTheColumnTheFormatAnExampleAndTheFixWhenOnlyTheHoursLackALeadingZero() throws Exception {
    Path log = log("CaseID,ActivityID,CompleteTimestamp\n1,a,2011-11-05 11:05:01\n1,b,2011-11-05 1:05:01\n");

    Outcome outcome = run("evaluate", "--log", log.toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 3", "'2011-11-05 1:05:01'", "column 'CompleteTimestamp'",
        "--time-format 'yyyy-MM-dd HH:mm:ss' (for example 2026-11-24 09:05:00)", "--time-format 'yyyy-MM-dd H:mm:ss'")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void shouldSayWhichColumnIsMissingAndWhichOptionNamesIt() throws Exception {
    Path log = log("case,activity,time\n1,a,2011-11-05 11:05:01\n");

    Outcome outcome = run("evaluate", "--log", log.toString());

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 1", "no column 'CaseID'", "[case, activity, time]", "--case-column");
  }

  @Test
  void shouldAnswerAFormatThatIsNotAPatternWithOneLineAndExitCode2() throws Exception {
    Path log = log("CaseID,ActivityID,CompleteTimestamp\n1,open,2026-11-24 10:00:00\n");

    Outcome imported = run("import", "--log", log.toString(), "--time-format", "yyyy-MM-dd {HH}", "--db-url",
        "jdbc:h2:mem:cli-format");
    Outcome evaluated = run("evaluate", "--log", log.toString(), "--time-format", "yyyy-MM-dd bb");

    assertThat(imported.code()).isEqualTo(2);
    assertThat(imported.err().strip().lines()).hasSize(1);
    assertThat(imported.err()).contains("is not a java.time pattern");
    assertThat(evaluated.code()).isEqualTo(2);
    assertThat(evaluated.err()).contains("--time-format 'yyyy-MM-dd bb' is not a java.time pattern")
        .doesNotContain("\tat ");
  }

  @Test
  void shouldReadHoursWithOrWithoutALeadingZeroWhenTheFormatSaysH() throws Exception {
    String text = "CaseID,ActivityID,CompleteTimestamp\n1,a,2011-11-05 1:05:01\n1,b,2011-11-05 13:05:01\n";

    var events = CsvEventLogReader.read(new StringReader(text),
        new CsvMapping("CaseID", "ActivityID", "CompleteTimestamp", "yyyy-MM-dd H:mm:ss", null, List.of()));

    assertThat(events).extracting(e -> e.time().toString()).containsExactly("2011-11-05T01:05:01Z", "2011-11-05T13:05:01Z");
    assertThat(TimeFormat.of("yyyy-MM-dd H:mm:ss").parse("2026-11-24 9:05:00"))
        .isEqualTo(Instant.parse("2026-11-24T09:05:00Z"));
  }

  @Test
  void shouldShowProgressAsAFewLinesWhenStandardErrorIsNotATerminal() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Progress progress = new Progress("training", 1800, false, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      for (int round = 1; round <= 1800; round++) {
        progress.asStepTo().accept(round);
      }
    }

    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(11).first().isEqualTo("training: 0% (1 of 1800)");
    assertThat(lines).containsOnlyOnce("training: 50% (900 of 1800)").last().isEqualTo("training: 100% (1800 of 1800)");
  }

  @Test
  void shouldReachAHundredPercentOnlyWhenTheWorkHasEnded() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Progress progress = new Progress("training", 900, false, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      progress.asStepTo().accept(899);
    }

    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("100%");
  }

  @Test
  void shouldAnswerAnUnknownStrategyOrAnImpossibleReplayWithOneLineAndExitCode2() {
    Outcome strategy = run("simulate", "--strategies", "flowcast,clairvoyant");
    Outcome load = run("simulate", "--peak-load", "1.5");
    Outcome log = run("simulate", "--log", folder.resolve("missing.csv").toString());
    Outcome hold = run("simulate", "--pools", "elastic", "--scale-in-hold", "forever");

    assertThat(List.of(strategy, load, log, hold)).allSatisfy(outcome -> {
      assertThat(outcome.code()).isEqualTo(2);
      assertThat(outcome.err().lines()).hasSize(1);
    });
    assertThat(strategy.err()).contains("'clairvoyant'").contains("static-on-demand");
    assertThat(load.err()).contains("--peak-load");
    assertThat(log.err()).contains("missing.csv");
    assertThat(hold.err()).contains("--scale-in-hold is one of [scale-in-delay, lead-time], not 'forever'");
  }

  private record Outcome(int code, String err) {}

  private Path log(String text) throws Exception {
    Path file = folder.resolve("log.csv");
    Files.writeString(file, text);
    return file;
  }

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
