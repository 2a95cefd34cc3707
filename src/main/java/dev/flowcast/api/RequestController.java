package dev.flowcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.ScoredWorkflow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /flowcast/api/requests}: compose, deploy and start the best workflow for the user. */
@RestController
@RequestMapping(ApiConfiguration.API_PATH + "/requests")
class RequestController {

  private final Composer composer;
  private final RequestParser parser;

  RequestController(Composer composer, ObjectMapper json) {
    this.composer = composer;
    this.parser = new RequestParser(json);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> request(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser user,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    RequestBody request = parser.parse(body);
    CompositionResult result =
        composer.compose(
            new CompositionRequest(user.id(), request.intent(), request.parameters(), null,
                CompositionRequest.Origin.REQUEST));
    return answer(result);
  }

  static Map<String, Object> answer(CompositionResult result) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("decisionId", result.decisionId());
    answer.put("status", result.status().name());
    answer.put("intent", result.intent());
    answer.put("processInstanceId", result.processInstanceId());
    answer.put("processDefinitionId", result.processDefinitionId());
    answer.put("predictionSource", result.predictionSource());
    answer.put("reason", result.reason());
    if (result.chosen() != null) {
      Map<String, Object> chosen = result.chosen().explain();
      answer.put("workflow", Map.of("steps", chosen.get("steps")));
      answer.put("score", chosen.get("score"));
    }
    answer.put("alternatives", result.alternatives().stream().map(ScoredWorkflow::explain).toList());
    return answer;
  }
}
