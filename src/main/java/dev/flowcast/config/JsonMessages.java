package dev.flowcast.config;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Jackson's description of a JSON syntax error, without its Java-side details. */
public final class JsonMessages {

  private JsonMessages() {}

  /**
   * The parser's first sentence (e.g. "Unexpected end-of-input: expected close marker for
   * Object"), without the source reference and the feature names Jackson appends.
   */
  public static String syntaxProblem(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
    if (message.startsWith("Trailing token")) {
      return "something follows the JSON value; send one value";
    }
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    int source = message.indexOf(" (start marker at");
    if (source >= 0) {
      message = message.substring(0, source);
    }
    int reference = message.indexOf("[Source:");
    if (reference >= 0) {
      message = message.substring(0, reference);
    }
    message = message.replace("`", "'");
    // Jackson names its settings in some messages; the sender of the JSON cannot change them
    message = message.replaceAll(":? *enable '[A-Za-z_.]+' to allow", "")
        .replaceAll(" *\\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "")
        .replaceAll(", from '[A-Za-z_.()]+'\\)", ")");
    return message.strip();
  }
}
