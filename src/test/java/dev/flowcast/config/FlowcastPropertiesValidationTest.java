package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Settings that would make the application loop, fail every request or crash a scheduler with a
 * stack trace are refused when it starts, naming the setting.
 */
class FlowcastPropertiesValidationTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  static class Settings {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);

  @Test
  void shouldStartWithTheDefaults() {
    runner.run(context -> assertThat(context).hasNotFailed());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "flowcast.queue.retry-interval, 0s, retryInterval",
      "flowcast.queue.retry-interval, -PT5S, retryInterval",
      "flowcast.queue.deadline, PT0S, deadline",
      "flowcast.database.api-connections, -1, apiConnections",
      "flowcast.resources.sample-interval, 0s, sampleInterval",
      "flowcast.adaptive.check-interval, 0s, checkInterval",
      "flowcast.proactive.interval, -PT1M, interval",
      "flowcast.prediction.refresh-interval, 0s, refreshInterval",
      "flowcast.prediction.training-interval, -PT1H, trainingInterval",
      "flowcast.prediction.session-gap, -PT30M, sessionGap",
      "flowcast.composer.history-time-to-live, abc, historyTimeToLive",
      "flowcast.proactive.threshold, 5, threshold",
      "flowcast.resources.stale-capacity-factor, 7, staleCapacityFactor",
      "flowcast.capacity.tick-interval, 0s, tickInterval",
      "flowcast.capacity.target-utilization, 0, targetUtilization",
      "flowcast.capacity.target-utilization, 1.5, targetUtilization",
      "flowcast.capacity.reactive-cooldown, -PT1M, reactiveCooldown",
      "flowcast.capacity.mode, sometimes, mode"})
  void shouldRefuseASettingThatCannotWork(String property, String value, String field) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      StringBuilder messages = new StringBuilder();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertThat(messages.toString()).contains(field);
    });
  }

  @Test
  void shouldTakeAHistoryTimeToLiveAsDaysOrAnIsoPeriodOfDays() {
    runner.withPropertyValues("flowcast.composer.history-time-to-live=P7D").run(context -> assertThat(context).hasNotFailed());
  }
}
