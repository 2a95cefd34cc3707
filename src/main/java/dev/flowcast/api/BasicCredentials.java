package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** An HTTP basic {@code Authorization} header checked against the engine's users: the caller, or why not. */
final class BasicCredentials {

  static final String PREFIX = "Basic ";

  /** Exactly one of the two is set. */
  record Checked(ApiUser user, String refusal) {}

  private BasicCredentials() {}

  /** A 401 with the API's JSON error, asking for basic credentials. */
  static void refuse(HttpServletResponse response, ObjectMapper json, String message) throws IOException {
    refuse(response, json, message, true);
  }

  /**
   * @param prompt whether to offer the basic scheme: a browser then asks for a password, which a
   *     script running in the webapp does not want (it offers the session scheme instead)
   */
  static void refuse(HttpServletResponse response, ObjectMapper json, String message, boolean prompt) throws IOException {
    response.setStatus(HttpStatus.UNAUTHORIZED.value());
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, prompt ? "Basic realm=\"flowcast\"" : "Session realm=\"flowcast\"");
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), ApiError.of(HttpStatus.UNAUTHORIZED, message));
  }

  /** Whether the header offers basic credentials at all. */
  static boolean offered(String header) {
    // the scheme's name is case-insensitive (RFC 9110, 11.1): "basic" is "Basic"
    return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /** @param header an {@code Authorization} header that {@link #offered offers} basic credentials */
  static Checked check(String header, IdentityService identity) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(PREFIX.length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Checked(null, "malformed basic authentication header");
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    if (user.isEmpty() || !identity.checkPassword(user, password)) {
      return new Checked(null, "unknown user or wrong password");
    }
    return new Checked(
        new ApiUser(user, identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList()), null);
  }
}
