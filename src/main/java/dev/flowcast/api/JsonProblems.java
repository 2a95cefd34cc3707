package dev.flowcast.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.flowcast.config.JsonMessages;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says what is wrong with a JSON body in the API's words: the field, what it holds and what is
 * allowed, and where; never a Java type name (Jackson's own messages name them).
 */
final class JsonProblems {

  private JsonProblems() {}

  /** @param what the thing the body describes, e.g. {@code "request body"} or {@code "pool"} */
  static BadRequestException describe(String what, JsonProcessingException e) {
    return new BadRequestException("malformed " + what + ": " + reason(e) + where(e));
  }

  private static String reason(JsonProcessingException e) {
    if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
      return "not valid JSON (" + JsonMessages.syntaxProblem(e) + ")";
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + path(unknown) + "'"
          + (unknown.getKnownPropertyIds() == null || unknown.getKnownPropertyIds().isEmpty() ? ""
              : "; fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (e instanceof InvalidFormatException invalid) {
      return field(invalid) + "must be " + kind(invalid.getTargetType()) + ", not '" + invalid.getValue() + "'";
    }
    if (e instanceof MismatchedInputException mismatched) {
      if (mismatched.getPath().isEmpty()) {
        return "the body must be " + kind(mismatched.getTargetType());
      }
      return field(mismatched) + "must be " + kind(mismatched.getTargetType());
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      // e.g. nested deeper than the parser allows: the parser's reason, in its words
      return field(mapping) + "has a value that cannot be read"
          + (mapping.getCause() instanceof JsonProcessingException parsing
              ? " (" + JsonMessages.syntaxProblem(parsing) + ")" : "");
    }
    return "not valid JSON (" + JsonMessages.syntaxProblem(e) + ")";
  }

  private static String field(JsonMappingException e) {
    return "'" + path(e) + "' ";
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  /**
   * A copy of the application's mapper that takes every value as what it is: a number or a boolean
   * where text is expected is refused, and so is text where a number or a boolean is expected, a
   * fraction where a whole number is, a number where true or false is; a field given twice and
   * anything after the body's value are refused too (the last of two values, or the first of two
   * bodies, would otherwise be taken silently).
   */
  static ObjectMapper strict(ObjectMapper json) {
    ObjectMapper strict = json.copy();
    strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    strict.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    strict.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    strict.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType number : List.of(LogicalType.Integer, LogicalType.Float)) {
      strict.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    strict.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return strict;
  }

  /**
   * Reads a body that must be one JSON object.
   *
   * @param what the thing the body describes, e.g. {@code "pool"}
   */
  static <T> T object(ObjectReader reader, String body, String what) {
    T value;
    try {
      value = reader.readValue(body);
    } catch (JsonProcessingException e) {
      throw describe(what, e);
    }
    if (value == null) {
      throw new BadRequestException("the body must be a JSON object, not null");
    }
    return value;
  }

  /** The JSON kind a target type accepts. */
  static String kind(Class<?> type) {
    if (type == null) {
      return "another kind of value";
    }
    if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
      return "text";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord() || type == Object.class) {
      return "an object";
    }
    return "an object";
  }
}
