package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.prediction.IntentEvaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --log FILE}: next-action prediction on an event log, model against baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluates next-action prediction on a CSV event log (Tax et al. 2017 protocol), without starting the engine.")
class EvaluateCommand implements Callable<Integer> {

  @Mixin EventLogOptions eventLog;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<ActivityEvent> events = eventLog.read();
    long cases = events.stream().map(ActivityEvent::session).distinct().count();
    if (cases < 3) {
      throw new CsvEventLogReader.InvalidLogException(cases + " case(s); evaluating needs 3 at"
          + " least (the first two thirds train, the last third is predicted)");
    }
    IntentEvaluation.Report report;
    try (Progress progress = new Progress("training", IntentEvaluation.trainingSteps())) {
      report = IntentEvaluation.run(events, progress.asStepTo());
    }
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("cases", report.cases());
      answer.put("events", report.events());
      answer.put("activities", report.activities());
      answer.put("predictions", report.predictions());
      answer.put("predictionsWithoutEnds", report.predictionsWithoutEnds());
      answer.put("model", report.model());
      answer.put("modelDeployed", report.modelDeployed());
      answer.put("selection", report.selection());
      answer.put("baselines", report.baselines());
      System.out.println(new ObjectMapper().writeValueAsString(answer));
    } else {
      System.out.printf(Locale.ROOT, "%s: %d cases, %d events, %d activities, %d predictions (prefixes of length >= 2),"
              + " %d of them where the case goes on%n", eventLog.log.getFileName(), report.cases(), report.events(),
          report.activities(), report.predictions(), report.predictionsWithoutEnds());
      IntentEvaluation.Selection selection = report.selection();
      System.out.printf(Locale.ROOT, "chosen on the newest 20%% of the training cases: %s, top-1 %+.4f against the best of the other kind;"
          + " validation top-1 %s%n", selection.winner(), selection.margin(), rounded(selection.validationTop1()));
      System.out.println("top1: every prediction, the end of a case included; w/o end: where the case goes on,"
          + " as Tax et al.'s scripts score (their published accuracies)");
      System.out.printf(Locale.ROOT, "%-14s %7s %7s %7s %8s %7s %9s %12s%n",
          "predictor", "top1", "w/o end", "top3", "logLoss", "ece", "train s", "pred/s");
      System.out.println("knowing the training part only (comparable with published figures):");
      row("model", report.model());
      report.baselines().forEach((name, scores) -> {
        if (!name.endsWith("Online")) {
          row(name, scores);
        }
      });
      System.out.println("knowing every case's past up to each prediction (as deployed):");
      row("model", report.modelDeployed());
      report.baselines().forEach((name, scores) -> {
        if (name.endsWith("Online")) {
          row(name, scores);
        }
      });
    }
    return 0;
  }

  private static Map<String, String> rounded(Map<String, Double> scores) {
    Map<String, String> out = new LinkedHashMap<>();
    scores.forEach((name, value) -> out.put(name, String.format(Locale.ROOT, "%.4f", value)));
    return out;
  }

  private static void row(String name, IntentEvaluation.Scores s) {
    System.out.printf(Locale.ROOT, "%-14s %7.4f %7.4f %7.4f %8.4f %7.4f %9.3f %12.0f%n", name, s.top1(),
        s.top1WithoutEnds(), s.top3(), s.logLoss(), s.ece(), s.trainSeconds(), s.predictionsPerSecond());
  }
}
