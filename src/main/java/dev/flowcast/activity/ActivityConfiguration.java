package dev.flowcast.activity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@AutoConfiguration
public final class ActivityConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ActivityLog activityLog(JdbcClient jdbc, JdbcTemplate batch, PlatformTransactionManager transactions, ObjectMapper json) {
    return new JdbcActivityLog(jdbc, batch, new TransactionTemplate(transactions), json);
  }
}
