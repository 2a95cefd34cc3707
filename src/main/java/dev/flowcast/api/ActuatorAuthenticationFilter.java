package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who calls Actuator: with HTTP basic credentials of a Camunda user, the request carries that
 * user as its principal and the user's groups as roles, so {@code show-details: when-authorized}
 * with {@code roles: camunda-admin} shows health details to administrators only. Anonymous calls
 * pass (the health status, and the Prometheus scrape unless it is switched to require a user);
 * wrong credentials never do.
 */
class ActuatorAuthenticationFilter extends OncePerRequestFilter {

  private final IdentityService identity;
  private final ObjectMapper json;
  private final boolean prometheusRequiresAuthentication;

  ActuatorAuthenticationFilter(IdentityService identity, ObjectMapper json, boolean prometheusRequiresAuthentication) {
    this.identity = identity;
    this.json = json;
    this.prometheusRequiresAuthentication = prometheusRequiresAuthentication;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (!BasicCredentials.offered(header)) {
      if (prometheusRequiresAuthentication && request.getRequestURI().endsWith("/prometheus")) {
        refuse(response, "credentials required: flowcast.api.prometheus-requires-authentication is on");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    BasicCredentials.Checked checked = BasicCredentials.check(header, identity);
    if (checked.user() == null) {
      refuse(response, checked.refusal());
      return;
    }
    chain.doFilter(new AuthenticatedRequest(request, checked.user().id(), checked.user().groups()), response);
  }

  private void refuse(HttpServletResponse response, String message) throws IOException {
    BasicCredentials.refuse(response, json, message);
  }

  /** A request as a Camunda user, whose groups are its roles. */
  private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final Principal principal;
    private final List<String> groups;

    AuthenticatedRequest(HttpServletRequest request, String user, List<String> groups) {
      super(request);
      this.principal = () -> user;
      this.groups = groups;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
      return groups.contains(role);
    }
  }
}
