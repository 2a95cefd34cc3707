package dev.flowcast.prediction;

import org.camunda.bpm.engine.HistoryService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PredictionConfiguration {

  @Bean
  @ConditionalOnMissingBean
  IntentPredictor intentPredictor(HistoryService history) {
    return new HistoryFrequencyPredictor(history);
  }
}
