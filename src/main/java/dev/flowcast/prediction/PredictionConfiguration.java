package dev.flowcast.prediction;

import org.camunda.bpm.engine.HistoryService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
public final class PredictionConfiguration {

  @Bean
  @ConditionalOnMissingBean
  IntentPredictor intentPredictor(HistoryService history) {
    return new HistoryFrequencyPredictor(history);
  }
}
