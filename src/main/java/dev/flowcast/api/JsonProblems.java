package dev.flowcast.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.flowcast.config.JsonMessages;
import java.util.Collection;
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
      return field(mapping) + "has a value that cannot be read";
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
   * A copy of the application's mapper that reads text as text only: a number or a boolean where
   * text is expected is refused, not quietly turned into a string.
   */
  static ObjectMapper strict(ObjectMapper json) {
    ObjectMapper strict = json.copy();
    strict.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return strict;
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
