package dev.flowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees when their event log does not fit the options: one line, exit code 2. */
class CommandLineErrorsTest {

  @TempDir Path folder;

  private record Outcome(int exitCode, String err) {}

  private Outcome run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exitCode = FlowcastCommands.run(args);
      return new Outcome(exitCode, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private Path log(String text) throws Exception {
    Path file = folder.resolve("log.csv");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void shouldNameTheLineTheExpectedFormatAndAnExampleWhenATimeDoesNotMatch() throws Exception {
    Path file = log("CaseID,ActivityID,CompleteTimestamp\n1,a,2011-11-05 11:05:01\n1,b,2011-11-05 1:05:01\n");

    Outcome outcome = run("evaluate", "--log", file.toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 3", "'2011-11-05 1:05:01'", "--time-format 'yyyy-MM-dd HH:mm:ss'",
        "e.g. '2011-11-05 09:05:01'", "--time-format 'yyyy-MM-dd H:mm:ss'").doesNotContain("Exception", "\tat ");
  }

  @Test
  void shouldSayWhichColumnIsMissingAndWhichOptionNamesIt() throws Exception {
    Path file = log("case,activity,time\n1,a,2011-11-05 11:05:01\n");

    Outcome outcome = run("evaluate", "--log", file.toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("line 1", "no column 'CaseID'", "[case, activity, time]", "--case-column");
  }

  @Test
  void shouldRefuseATimeFormatThatIsNoPatternWithoutAStackTrace() throws Exception {
    Path file = log("CaseID,ActivityID,CompleteTimestamp\n1,a,2011-11-05 11:05:01\n");

    Outcome outcome = run("evaluate", "--log", file.toString(), "--time-format", "yyyy-MM-dd bb");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("--time-format 'yyyy-MM-dd bb' is not a java.time pattern").doesNotContain("\tat ");
  }

  @Test
  void shouldSaySoWhenTheFileIsMissing() {
    Outcome outcome = run("evaluate", "--log", folder.resolve("nowhere.csv").toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).contains("nowhere.csv: no such file");
  }

  @Test
  void shouldReadHoursWithOrWithoutALeadingZeroWhenTheFormatSaysH() throws Exception {
    String text = "CaseID,ActivityID,CompleteTimestamp\n1,a,2011-11-05 1:05:01\n1,b,2011-11-05 13:05:01\n";

    var events = CsvEventLogReader.read(new StringReader(text),
        new CsvMapping("CaseID", "ActivityID", "CompleteTimestamp", "yyyy-MM-dd H:mm:ss", null, List.of()));

    assertThat(events).extracting(e -> e.time().toString()).containsExactly("2011-11-05T01:05:01Z", "2011-11-05T13:05:01Z");
  }

  @Test
  void shouldWriteAFewLinesOfProgressWhenStandardErrorIsNoTerminal() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (Progress progress = new Progress("training", 900, false, new PrintStream(captured, true, StandardCharsets.UTF_8))) {
      for (int step = 1; step <= 900; step++) {
        progress.asStepTo().accept(step);
      }
    }

    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("training: 0%", "training: 25%", "training: 50%", "training: 75%", "training: 100%");
  }
}
