package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error page for what the container refuses before any servlet sees it (a malformed
 * path, an encoded slash): under {@code /flowcast/api} the API's JSON error, elsewhere Tomcat's
 * page without the server's version or a stack trace. Tomcat creates it by class name, so it has
 * a public no-argument constructor.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  public JsonErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    String uri = request.getRequestURI();
    // without a URI (a request line too long to read) the request may have been for the API: the
    // API's answer is the one that says something to every client
    if (uri != null && !uri.startsWith(ApiConfiguration.API_PATH) || response.getStatus() < 400
        || response.isCommitted() || response.getContentWritten() > 0) {
      super.report(request, response, throwable);
      return;
    }
    HttpStatus status = HttpStatus.resolve(response.getStatus());
    if (status == null) {
      status = HttpStatus.BAD_REQUEST;
    }
    String message = uri == null ? "the request line could not be read: too long (the request line and"
        + " headers together may hold server.max-http-request-header-size, 8 KB by default) or malformed"
        : status == HttpStatus.BAD_REQUEST
        ? "the request's path or headers are malformed (e.g. an invalid percent-encoding or an encoded '/')"
        : status.getReasonPhrase();
    try {
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.getOutputStream().write(JSON.writeValueAsBytes(ApiError.of(status, message)));
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client went away: nothing left to tell it
    }
  }
}
