package dev.flowcast.api;

import dev.flowcast.composer.Composer;
import dev.flowcast.demand.DemandTrainer;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.prediction.IntentTrainer;
import dev.flowcast.prediction.ModelRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /flowcast/api/predictions?user=}: the intents a user is predicted to want, ranked;
 * {@code POST /flowcast/api/models/intent/train} (camunda-admin): train now;
 * {@code GET /flowcast/api/models/intent}: the registry;
 * {@code POST /flowcast/api/admin/models/demand/train} (camunda-admin): train the demand model now;
 * {@code GET /flowcast/api/models/demand}: its versions.
 */
@RestController
class PredictionController {

  private final IntentPredictor predictor;
  private final IntentTrainer trainer;
  private final ModelRegistry registry;
  private final Composer composer;
  private final Clock clock;
  private final DemandTrainer demandTrainer;

  PredictionController(IntentPredictor predictor, IntentTrainer trainer, ModelRegistry registry, Composer composer,
      Clock clock, DemandTrainer demandTrainer) {
    this.demandTrainer = demandTrainer;
    this.predictor = predictor;
    this.trainer = trainer;
    this.registry = registry;
    this.composer = composer;
    this.clock = clock;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/predictions")
  Map<String, Object> predictions(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @RequestParam(required = false) String user) {
    String who = user == null ? caller.id() : user;
    if (!who.equals(caller.id()) && !caller.isAdmin()) {
      throw new ForbiddenException("only members of camunda-admin read other users' predictions");
    }
    IntentPrediction prediction = predictor.predict(who, composer.intents(), clock.instant());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("user", who);
    answer.put("source", prediction.source());
    answer.put("modelVersion", prediction.modelVersion());
    answer.put("ranking", prediction.ranking());
    return answer;
  }

  @PostMapping(ApiConfiguration.API_PATH + "/models/intent/train")
  @ResponseStatus(HttpStatus.CREATED)
  ModelRegistry.StoredModel train(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    if (!caller.isAdmin()) {
      throw new ForbiddenException("only members of camunda-admin train models");
    }
    ModelRegistry.StoredModel stored;
    try {
      stored = trainer.train(round -> {});
    } catch (IntentTrainer.NotEnoughDataException e) {
      throw new ConflictException(e.getMessage());
    }
    predictor.reload();
    return stored;
  }

  /** Trains on this node's measured history; the other nodes load the new version at their next refresh. */
  @PostMapping(ApiConfiguration.API_PATH + "/admin/models/demand/train")
  @ResponseStatus(HttpStatus.CREATED)
  ModelRegistry.StoredModel trainDemand(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    try {
      return demandTrainer.train(round -> {});
    } catch (DemandTrainer.NotEnoughHistoryException e) {
      throw new ConflictException("not trained: " + e.getMessage() + "; the trend projects meanwhile");
    }
  }

  @GetMapping(ApiConfiguration.API_PATH + "/models/demand")
  List<ModelRegistry.StoredModel> demandModels() {
    return registry.list(DemandTrainer.KIND, 20);
  }

  @GetMapping(ApiConfiguration.API_PATH + "/models/intent")
  List<ModelRegistry.StoredModel> models() {
    return registry.list(IntentTrainer.KIND, 20);
  }
}
