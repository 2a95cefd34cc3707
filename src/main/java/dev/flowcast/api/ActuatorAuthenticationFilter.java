package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who calls Actuator: with HTTP basic credentials of a Camunda user, the request carries that
 * user as its principal and the user's groups as roles, so {@code show-details: when-authorized}
 * with {@code roles: camunda-admin} shows health details to administrators only. Anonymous calls
 * pass (the health status, and the Prometheus scrape unless it is switched to require a user);
 * wrong credentials never do.
 */
class ActuatorAuthenticationFilter extends OncePerRequestFilter {

  private static final String PREFIX = "Basic ";

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
    if (header == null || !header.startsWith(PREFIX)) {
      if (prometheusRequiresAuthentication && request.getRequestURI().endsWith("/prometheus")) {
        refuse(response, "credentials required: flowcast.api.prometheus-requires-authentication is on");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(PREFIX.length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      refuse(response, "malformed basic authentication header");
      return;
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    if (user.isEmpty() || !identity.checkPassword(user, password)) {
      refuse(response, "unknown user or wrong password");
      return;
    }
    List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
    chain.doFilter(new AuthenticatedRequest(request, user, groups), response);
  }

  private void refuse(HttpServletResponse response, String message) throws IOException {
    response.setStatus(HttpStatus.UNAUTHORIZED.value());
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"flowcast\"");
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), ApiError.of(HttpStatus.UNAUTHORIZED, message));
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
