package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/** HTTP basic authentication of {@code /flowcast/api/*} against the engine's identity service. */
class BasicAuthenticationFilter extends OncePerRequestFilter {

  private final IdentityService identity;
  private final ObjectMapper json;

  BasicAuthenticationFilter(IdentityService identity, ObjectMapper json) {
    this.identity = identity;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (!BasicCredentials.offered(header)) {
      refuse(response, "credentials required: use HTTP basic authentication with a Camunda user");
      return;
    }
    BasicCredentials.Checked checked = BasicCredentials.check(header, identity);
    if (checked.user() == null) {
      refuse(response, checked.refusal());
      return;
    }
    request.setAttribute(ApiUser.ATTRIBUTE, checked.user());
    chain.doFilter(request, response);
  }

  private void refuse(HttpServletResponse response, String message) throws IOException {
    BasicCredentials.refuse(response, json, message);
  }
}
