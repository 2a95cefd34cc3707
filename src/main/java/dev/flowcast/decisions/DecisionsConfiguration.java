package dev.flowcast.decisions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

@AutoConfiguration
public final class DecisionsConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DecisionLog decisionLog(JdbcClient jdbc, ObjectMapper json, MeterRegistry meters) {
    return new JdbcDecisionLog(jdbc, json, meters);
  }
}
