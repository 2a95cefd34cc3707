package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.prediction.IntentEvaluation;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --log FILE}: next-action prediction on an event log, model against baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluates next-action prediction on a CSV event log (Tax et al. 2017 protocol), without starting the engine.")
class EvaluateCommand implements Callable<Integer> {

  @Option(names = "--log", required = true, description = "the CSV event log")
  Path log;

  @Mixin MappingOptions mapping;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<ActivityEvent> events;
    try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      events = CsvEventLogReader.read(reader, mapping.mapping());
    }
    IntentEvaluation.Report report;
    try (Progress progress = new Progress("training", dev.flowcast.prediction.IntentEvaluation.defaultRounds())) {
      report = IntentEvaluation.run(events, progress.asStepTo());
    }
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("cases", report.cases());
      answer.put("events", report.events());
      answer.put("activities", report.activities());
      answer.put("predictions", report.predictions());
      answer.put("model", report.model());
      answer.put("baselines", report.baselines());
      System.out.println(new ObjectMapper().writeValueAsString(answer));
    } else {
      System.out.printf("%s: %d cases, %d events, %d activities, %d predictions (prefixes of length >= 2)%n",
          log.getFileName(), report.cases(), report.events(), report.activities(), report.predictions());
      System.out.printf("%-14s %7s %7s %8s %7s %9s %12s%n", "predictor", "top1", "top3", "logLoss", "ece", "train s", "pred/s");
      row("model", report.model());
      report.baselines().forEach(EvaluateCommand::row);
    }
    return 0;
  }

  private static void row(String name, IntentEvaluation.Scores s) {
    System.out.printf("%-14s %7.4f %7.4f %8.4f %7.4f %9.3f %12.0f%n",
        name, s.top1(), s.top3(), s.logLoss(), s.ece(), s.trainSeconds(), s.predictionsPerSecond());
  }
}
