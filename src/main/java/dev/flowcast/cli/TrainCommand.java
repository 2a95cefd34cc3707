package dev.flowcast.cli;

import dev.flowcast.prediction.IntentTrainer;
import dev.flowcast.prediction.ModelRegistry;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: trains the intent model from the activity log and stores it in the registry. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains the intent model from the activity log; running nodes load it within their refresh interval.")
class TrainCommand implements Callable<Integer> {

  @Option(names = "--db-url", description = "JDBC URL of the database; default: the application's (spring.datasource.url)")
  String databaseUrl;

  @Option(names = "--training-window", description = "how far back to read, ISO-8601 (e.g. P5000D for an old log); default: flowcast.prediction.training-window")
  String trainingWindow;

  @Override
  public Integer call() {
    String[] settings = trainingWindow == null ? new String[0]
        : new String[] {"flowcast.prediction.training-window=" + trainingWindow};
    try (ConfigurableApplicationContext context = DatabaseContext.start(databaseUrl, settings)) {
      ModelRegistry.StoredModel stored;
      try (Progress progress = new Progress("training", IntentTrainer.steps())) {
        stored = context.getBean(IntentTrainer.class).train(progress.asStepTo());
      } catch (IntentTrainer.NotEnoughDataException e) {
        System.err.println("not trained: " + e.getMessage());
        return 1;
      }
      System.out.println("intent model v" + stored.version() + " trained on " + stored.rowsTrained()
          + " events; hold-out " + stored.description().get("metrics"));
      return 0;
    }
  }
}
