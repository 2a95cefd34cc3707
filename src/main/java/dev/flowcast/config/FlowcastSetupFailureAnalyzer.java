package dev.flowcast.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Spring Boot's start-up report for a {@link FlowcastSetupException}: what is missing and what to
 * do, each in one line, without the bean-creation chain around it. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class FlowcastSetupFailureAnalyzer extends AbstractFailureAnalyzer<FlowcastSetupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FlowcastSetupException cause) {
    return new FailureAnalysis(cause.missing(), cause.action(), cause);
  }
}
