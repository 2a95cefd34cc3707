package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMessagesTest {

  private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"vcpu\": NaN}|Non-standard token 'NaN'",
      "/* a comment */ {}|maybe a (non-standard) comment?",
      "{\"intent\": \"a\", \"intent\": \"b\"}|Duplicate field 'intent'",
      "{\"a\": 1,|Unexpected end-of-input"})
  void shouldDescribeASyntaxErrorWithoutJacksonsSettingsOrSource(String body, String expected) {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> json.readTree(body));

    String said = JsonMessages.syntaxProblem(e);

    assertThat(said).contains(expected).doesNotContain("Feature", "enable", "[Source", "`", "StreamReadConstraints");
  }

  @org.junit.jupiter.api.Test
  void shouldDescribeTooDeepNestingWithoutNamingTheConstraint() {
    String deep = "[".repeat(1001) + "]".repeat(1001);
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> json.readTree(deep));

    assertThat(JsonMessages.syntaxProblem(e)).contains("nesting depth").contains("1000")
        .doesNotContain("StreamReadConstraints", "getMaxNestingDepth");
  }
}
