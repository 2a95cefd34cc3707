package dev.flowcast.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
      throw new BadRequestException("intent '" + request.intent() + "' must be lower-case letters, digits and '-'");
    }
    return new RequestBody(request.intent(), checkedParameters(request.parameters()));
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
          if (value instanceof String text && text.length() > MAX_STRING) {
            throw new BadRequestException("parameters." + name + " is longer than " + MAX_STRING + " characters");
          }
          checked.put(name, value);
        });
    return checked;
  }
}
