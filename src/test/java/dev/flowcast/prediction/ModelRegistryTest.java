package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityConfiguration;
import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.SchemaConfiguration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Training from the activity log, the registry round trip (a model saved by one context answers
 * the same in a fresh one on the same database), and the baselines that answer without a model.
 */
class ModelRegistryTest {

  static final Set<String> INTENTS = Set.of("run-report", "scale-service", "backup-database");
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private final String database = "jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  static class Settings {}

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SchemaConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, JacksonAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
            ActivityConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues("spring.datasource.url=" + database,
            "flowcast.prediction.minimum-events=20");
  }

  /**
   * Users who log in, run a report, then scale the service out; some back up first; when the
   * report took long to start they stop after it (a signal in the timing that no Markov chain
   * sees, so the boosted model wins the selection).
   */
  static List<ActivityEvent> habits() {
    Random random = new Random(5);
    List<ActivityEvent> events = new ArrayList<>();
    Instant t = NOW.minusSeconds(20 * 86_400);
    for (int s = 0; s < 400; s++) {
      String user = "user-" + (s % 7);
      int kind = random.nextInt(5);
      List<String> actions = kind == 0 ? List.of("login", "backup-database", "run-report")
          : kind == 1 ? List.of("login", "run-report")
          : List.of("login", "run-report", "scale-service");
      for (String action : actions) {
        events.add(new ActivityEvent(t, user, action, null, Map.of(), Map.of()));
        t = t.plusSeconds(kind == 1 ? 600 : 120);
      }
      t = t.plusSeconds(3 * 3600);
    }
    return events;
  }

  private ModelIntentPredictor predictor(ApplicationContext context, ModelRegistry registry) {
    IntentPredictor uniform = (user, intents, now) -> new IntentPrediction(
        intents.stream().map(i -> new IntentPrediction.RankedIntent(i, 1.0 / intents.size())).toList(), "uniform");
    ModelIntentPredictor predictor = new ModelIntentPredictor(registry, context.getBean(ActivityLog.class), uniform,
        context.getBean(FlowcastProperties.class).prediction(), new ObjectMapper(), Clock.fixed(NOW, ZoneOffset.UTC));
    predictor.reload();
    return predictor;
  }

  private void givenAliceJustRanAReport(ActivityLog log) {
    log.append(List.of(
        new ActivityEvent(NOW.minusSeconds(240), "alice", "login", null, Map.of(), Map.of()),
        new ActivityEvent(NOW.minusSeconds(120), "alice", "run-report", null, Map.of(), Map.of())), ActivityLog.Source.REST);
  }

  @Test
  void shouldTrainSaveAndAnswerTheSameInAFreshContext() {
    double[] first = new double[3];
    runner().run(context -> {
      ActivityLog log = context.getBean(ActivityLog.class);
      log.append(habits(), ActivityLog.Source.IMPORT);
      givenAliceJustRanAReport(log);
      ModelRegistry registry = new ModelRegistry(context.getBean(JdbcClient.class), new ObjectMapper());
      IntentTrainer trainer = new IntentTrainer(log, registry, context.getBean(FlowcastProperties.class).prediction(),
          Clock.fixed(NOW, ZoneOffset.UTC));

      ModelRegistry.StoredModel stored = trainer.train(round -> {});
      IntentPrediction prediction = predictor(context, registry).predict("alice", INTENTS, NOW);

      assertThat(stored.version()).isEqualTo(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> metrics = (Map<String, Object>) stored.description().get("metrics");
      assertThat(metrics).containsKeys("top1", "markov1Top1", "logLoss");
      assertThat(prediction.source()).isEqualTo("xgboost");
      assertThat(prediction.modelVersion()).isEqualTo(1);
      assertThat(prediction.top().orElseThrow().intent()).isEqualTo("scale-service");
      assertThat(prediction.ranking().stream().mapToDouble(IntentPrediction.RankedIntent::probability).sum())
          .isCloseTo(1.0, within(1e-9));
      for (int i = 0; i < 3; i++) {
        first[i] = prediction.probabilityOf(List.copyOf(new java.util.TreeSet<>(INTENTS)).get(i));
      }
    });
    runner().run(context -> {
      ModelRegistry registry = new ModelRegistry(context.getBean(JdbcClient.class), new ObjectMapper());

      IntentPrediction again = predictor(context, registry).predict("alice", INTENTS, NOW);

      assertThat(again.modelVersion()).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        assertThat(again.probabilityOf(List.copyOf(new java.util.TreeSet<>(INTENTS)).get(i))).isCloseTo(first[i], within(1e-9));
      }
    });
  }

  @Test
  void shouldLetTheMarkovBaselineAnswerWithoutAModelAndSaySo() {
    runner().run(context -> {
      ActivityLog log = context.getBean(ActivityLog.class);
      List<ActivityEvent> lastDay = habits().stream().filter(e -> e.time().isAfter(NOW.minusSeconds(86_400))).toList();
      assertThat(lastDay).isNotEmpty();
      log.append(lastDay, ActivityLog.Source.IMPORT);
      givenAliceJustRanAReport(log);
      ModelRegistry registry = new ModelRegistry(context.getBean(JdbcClient.class), new ObjectMapper());

      IntentPrediction prediction = predictor(context, registry).predict("alice", INTENTS, NOW);

      assertThat(prediction.source()).startsWith("baseline:markov1").contains("no trained model");
      assertThat(prediction.modelVersion()).isNull();
    });
  }

  @Test
  void shouldFallBackToABaselineWhenTheStoredModelIsCorrupt() {
    runner().run(context -> {
      ActivityLog log = context.getBean(ActivityLog.class);
      log.append(habits(), ActivityLog.Source.IMPORT);
      givenAliceJustRanAReport(log);
      ModelRegistry registry = new ModelRegistry(context.getBean(JdbcClient.class), new ObjectMapper());
      new IntentTrainer(log, registry, context.getBean(FlowcastProperties.class).prediction(), Clock.fixed(NOW, ZoneOffset.UTC))
          .train(round -> {});
      context.getBean(JdbcClient.class).sql("update flowcast_model set model_bytes = ?")
          .param(java.util.Base64.getEncoder().encodeToString("not a model".getBytes())).update();

      IntentPrediction prediction = predictor(context, registry).predict("alice", INTENTS, NOW);

      assertThat(prediction.source()).startsWith("baseline:").contains("model v1 cannot be loaded");
      assertThat(prediction.top().orElseThrow().intent()).isEqualTo("scale-service");
    });
  }

  @Test
  void shouldRefuseToTrainOnTooLittleActivity() {
    runner().run(context -> {
      ActivityLog log = context.getBean(ActivityLog.class);
      givenAliceJustRanAReport(log);
      IntentTrainer trainer = new IntentTrainer(log, new ModelRegistry(context.getBean(JdbcClient.class), new ObjectMapper()),
          context.getBean(FlowcastProperties.class).prediction(), Clock.fixed(NOW, ZoneOffset.UTC));

      assertThatThrownBy(() -> trainer.train(round -> {}))
          .isInstanceOf(IntentTrainer.NotEnoughDataException.class)
          .hasMessageContaining("only 2 activity events");
    });
  }
}
