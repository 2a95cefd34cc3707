package dev.flowcast.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks a request body strictly: unknown fields, nested parameters or odd names are
 * refused with a message that says which, before anything is composed.
 */
final class RequestParser {

  static final int MAX_PARAMETERS = 50;
  static final int MAX_STRING = 4000;
  private static final Pattern INTENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PARAMETER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private final ObjectReader reader;

  RequestParser(ObjectMapper json) {
    this.reader =
        JsonProblems.strict(json).readerFor(RequestBody.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  RequestBody parse(String body) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send {\"intent\": \"<intent>\" | null, \"parameters\": {...}}");
    }
    RequestBody request = JsonProblems.object(reader, body, "request body");
    if (request.intent() != null && !INTENT.matcher(request.intent()).matches()) {
      throw new BadRequestException("intent '" + shortened(request.intent())
          + "' must be 1 to 63 lower-case letters, digits and '-', beginning with a letter or digit");
    }
    return new RequestBody(request.intent(), checkedParameters(request.parameters()));
  }

  /** A value quoted back in a message: enough to recognize it, not the whole of a huge one. */
  private static String shortened(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "… (" + value.length() + " characters)";
  }

  private static Map<String, Object> checkedParameters(Map<String, Object> parameters) {
    if (parameters == null) {
      return Map.of();
    }
    if (parameters.size() > MAX_PARAMETERS) {
      throw new BadRequestException("at most " + MAX_PARAMETERS + " parameters, not " + parameters.size());
    }
    Map<String, Object> checked = new LinkedHashMap<>();
    parameters.forEach(
        (name, value) -> {
          if (!PARAMETER.matcher(name).matches() || name.startsWith("flowcast")) {
            throw new BadRequestException(
                "parameter name '" + name + "' must be a letter then letters, digits or '_', and not start with 'flowcast'");
          }
          if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new BadRequestException(
                "parameters." + name + " must be a string, number or boolean, not "
                    + (value == null ? "null" : "a nested value"));
          }
          if (value instanceof BigInteger) {
            // the engine would keep it as a serialized Java object, which no one else can read
            throw new BadRequestException("parameters." + name + " is too large a whole number: at most "
                + Long.MAX_VALUE + " either way");
          }
          if (value instanceof String text && text.length() > MAX_STRING) {
            throw new BadRequestException("parameters." + name + " is longer than " + MAX_STRING + " characters");
          }
          checked.put(name, value);
        });
    return checked;
  }
}
