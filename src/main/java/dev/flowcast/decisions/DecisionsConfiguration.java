package dev.flowcast.decisions;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class DecisionsConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DecisionLog decisionLog(JdbcClient jdbc, ObjectMapper json) {
    return new JdbcDecisionLog(jdbc, json);
  }
}
