package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authentication of {@code /flowcast/api/*} against the engine's identity service: HTTP basic, or
 * the Camunda webapp's login (a Cockpit plugin calling with the browser's session). Basic
 * credentials win when both are offered.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

  /** A request header a browser client sends so that a 401 does not make the browser ask for a password. */
  static final String NO_PROMPT_HEADER = "X-Requested-With";

  private final IdentityService identity;
  private final String engineName;
  private final ObjectMapper json;

  ApiAuthenticationFilter(IdentityService identity, String engineName, ObjectMapper json) {
    this.identity = identity;
    this.engineName = engineName;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (BasicCredentials.offered(header)) {
      BasicCredentials.Checked checked = BasicCredentials.check(header, identity);
      if (checked.user() == null) {
        refuse(request, response, checked.refusal());
        return;
      }
      request.setAttribute(ApiUser.ATTRIBUTE, checked.user());
      chain.doFilter(request, response);
      return;
    }
    String sessionUser = WebappSession.user(request, engineName);
    // the session names a user the engine may have deleted since: only a user it still knows counts
    if (sessionUser == null || identity.createUserQuery().userId(sessionUser).count() == 0) {
      refuse(request, response, request.getRequestedSessionId() != null
          ? "credentials required: your Camunda webapp session has no login (log in to Cockpit again), or use HTTP basic"
          : "credentials required: use HTTP basic authentication with a Camunda user");
      return;
    }
    if (!WebappSession.safeOrTokenMatches(request)) {
      response.setStatus(HttpStatus.FORBIDDEN.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      json.writeValue(response.getOutputStream(), ApiError.of(HttpStatus.FORBIDDEN,
          "a request through the webapp session that changes anything needs the session's CSRF token in the "
              + "X-XSRF-TOKEN header (or use HTTP basic)"));
      return;
    }
    request.setAttribute(ApiUser.ATTRIBUTE,
        new ApiUser(sessionUser, identity.createGroupQuery().groupMember(sessionUser).list().stream().map(Group::getId).toList()));
    chain.doFilter(request, response);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
    BasicCredentials.refuse(response, json, message, request.getHeader(NO_PROMPT_HEADER) == null);
  }
}
