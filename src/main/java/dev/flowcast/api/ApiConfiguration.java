package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.config.FlowcastProperties;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Authentication of both REST APIs. {@code /flowcast/api} takes HTTP basic or the Camunda
 * webapp's login (its session), so the Cockpit plugin reads it as the user logged in to Cockpit. Authorization is on in the engine, and an unauthenticated
 * engine call skips every authorization check, so {@code /engine-rest} gets Camunda's own basic
 * authentication filter. It brings in the API's controllers itself, for an application that does
 * not scan Flowcast's packages (the demo's fault controller is the Flowcast application's).
 */
@Configuration(proxyBeanMethods = false)
@Import({ActivityController.class, AdminController.class, CapacityController.class, ComponentController.class,
    DecisionController.class, DefinitionController.class, OverviewController.class, PredictionController.class,
    RequestController.class, ResourceController.class, WorkerController.class, ApiErrors.class,
    ApiErrorPages.class})
public class ApiConfiguration {

  static final String API_PATH = "/flowcast/api";
  /** Newline-delimited JSON: one activity event a line. */
  static final String NDJSON = "application/x-ndjson";
  /** An event log to import. */
  static final String CSV = "text/csv";

  @Bean
  FilterRegistrationBean<ApiAuthenticationFilter> flowcastApiAuthentication(
      ProcessEngine engine, ObjectMapper json) {
    FilterRegistrationBean<ApiAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ApiAuthenticationFilter(engine.getIdentityService(), engine.getName(), json));
    registration.addUrlPatterns(API_PATH + "/*");
    registration.setName("flowcast-api-authentication");
    return registration;
  }

  @Bean
  FilterRegistrationBean<DatabaseUnavailableFilter> flowcastApiDatabaseUnavailable(ObjectMapper json) {
    FilterRegistrationBean<DatabaseUnavailableFilter> registration =
        new FilterRegistrationBean<>(new DatabaseUnavailableFilter(json));
    registration.addUrlPatterns(API_PATH + "/*");
    registration.setName("flowcast-api-database-unavailable");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> flowcastApiBodySizeLimit(FlowcastProperties properties, ObjectMapper json) {
    FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
        new BodySizeLimitFilter(properties.api().maxBodySize().toBytes(), json));
    registration.addUrlPatterns(API_PATH + "/*");
    registration.setName("flowcast-api-body-size-limit");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  FilterRegistrationBean<ActuatorAuthenticationFilter> actuatorAuthentication(
      IdentityService identity, ObjectMapper json, FlowcastProperties properties) {
    FilterRegistrationBean<ActuatorAuthenticationFilter> registration = new FilterRegistrationBean<>(
        new ActuatorAuthenticationFilter(identity, json, properties.api().prometheusRequiresAuthentication()));
    registration.addUrlPatterns("/actuator/*");
    registration.setName("actuator-authentication");
    return registration;
  }

  @Bean
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(
      @Value("${spring.jersey.application-path:/engine-rest}") String engineRestPath) {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.addInitParameter(
        ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    registration.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, engineRestPath);
    registration.addUrlPatterns(engineRestPath + "/*");
    registration.setName("engine-rest-authentication");
    return registration;
  }
}
