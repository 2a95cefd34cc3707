package dev.flowcast.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;

/**
 * The Camunda webapp's login, as its session holds it: who logged in to Cockpit, Tasklist or Admin
 * on this engine. A Cockpit plugin calls the API with that session's cookie, so it needs no second
 * login. The session cookie goes with every request the browser sends, also with one another site
 * makes it send: a request that changes anything must carry the webapp's CSRF token too, as the
 * webapp's own API demands.
 */
final class WebappSession {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private WebappSession() {}

  /** The user logged in to the webapps on {@code engineName} in this request's session, or null. */
  static String user(HttpServletRequest request, String engineName) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    Authentication authentication = authentications.getAuthenticationForProcessEngine(engineName);
    return authentication == null ? null : authentication.getIdentityId();
  }

  /** Whether the request reads only, or else carries the CSRF token the webapp gave this session. */
  static boolean safeOrTokenMatches(HttpServletRequest request) {
    if (SAFE_METHODS.contains(request.getMethod())) {
      return true;
    }
    HttpSession session = request.getSession(false);
    Object expected = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
    String offered = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
    return expected instanceof String token && offered != null
        && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
  }
}
