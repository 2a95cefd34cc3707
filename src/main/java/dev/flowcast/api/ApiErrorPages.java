package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors the servlet container produces itself (an unknown path, a refused method, a malformed
 * path) answer under {@code /flowcast/api} with the API's JSON error, like every other error of
 * the API; the rest of the application keeps Spring Boot's error pages.
 */
@Configuration(proxyBeanMethods = false)
class ApiErrorPages {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
      }
    });
  }

  /** Unless the application has an error controller of its own: then it answers for the API too. */
  @Bean
  @ConditionalOnMissingBean(ErrorController.class)
  BasicErrorController apiAwareErrorController(
      ErrorAttributes attributes, ServerProperties server, List<ErrorViewResolver> resolvers, ObjectMapper json) {
    return new ApiAwareErrorController(attributes, server, resolvers, json);
  }

  /** Spring Boot's {@code /error}, answering the API's JSON for requests that were under the API. */
  static final class ApiAwareErrorController extends BasicErrorController {

    private final ObjectMapper json;
    private final ErrorAttributes attributes;

    ApiAwareErrorController(
        ErrorAttributes attributes, ServerProperties server, List<ErrorViewResolver> resolvers, ObjectMapper json) {
      super(attributes, server.getError(), resolvers);
      this.json = json;
      this.attributes = attributes;
    }

    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
      if (!underApi(request)) {
        return super.errorHtml(request, response);
      }
      // a browser asking the API still gets the API's answer, never a page
      HttpStatus status = getStatus(request);
      response.setStatus(status.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      try {
        json.writeValue(response.getOutputStream(), ApiError.of(status, messageFor(status, request)));
      } catch (IOException e) {
        // the client went away
      }
      return null;
    }

    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
      if (!underApi(request)) {
        return super.error(request);
      }
      HttpStatus status = getStatus(request);
      ApiError error = ApiError.of(status, messageFor(status, request));
      return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of(
          "timestamp", error.timestamp(), "status", error.status(), "error", error.error(), "message", error.message()));
    }

    private String messageFor(HttpStatus status, HttpServletRequest request) {
      Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
      // refused before any controller was chosen, so the API's own handlers did not see it
      if (attributes.getError(new ServletWebRequest(request)) instanceof HttpMediaTypeNotSupportedException type) {
        return ApiErrors.unsupported(type);
      }
      return switch (status) {
        case NOT_FOUND -> "no such resource: " + uri + " (see the README's API table)";
        case METHOD_NOT_ALLOWED -> "this method is not allowed on " + uri;
        case UNAUTHORIZED -> "credentials required: use HTTP basic authentication with a Camunda user";
        case NOT_ACCEPTABLE -> "this resource answers application/json (a drawing: image/svg+xml);"
            + " the Accept header asked for " + request.getHeader("Accept");
        default -> status.getReasonPhrase();
      };
    }

    private static boolean underApi(HttpServletRequest request) {
      Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
      return uri != null && uri.toString().startsWith(ApiConfiguration.API_PATH);
    }
  }
}
