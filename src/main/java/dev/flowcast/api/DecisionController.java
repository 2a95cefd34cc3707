package dev.flowcast.api;

import dev.flowcast.composer.Composer;
import dev.flowcast.composer.UnknownIntentException;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /flowcast/api/decisions?user=&processInstanceId=&limit=}: the decision log, newest
 * first; with {@code processInstanceId}, that instance's timeline, oldest first (its composition,
 * each step measured, each switch and its outcome). A user reads their own decisions; {@code camunda-admin} members read everyone's.
 */
@RestController
class DecisionController {

  private final DecisionLog decisions;
  private final HistoryService history;
  private final Composer composer;

  DecisionController(DecisionLog decisions, HistoryService history, Composer composer) {
    this.decisions = decisions;
    this.history = history;
    this.composer = composer;
  }

  /**
   * Shadow mode's evidence: the static runs of an intent against what Flowcast would have chosen,
   * over the latest 1,000 decisions the caller may read.
   */
  @GetMapping(ApiConfiguration.API_PATH + "/decisions/shadow-report")
  Map<String, Object> shadowReport(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @RequestParam String intent) {
    // answered as a request for it is: zeros for an intent that cannot exist would read as evidence
    if (!composer.intents().contains(intent)) {
      throw new UnknownIntentException(intent, composer.intents());
    }
    List<Decision> shadowed = decisions.find(new DecisionQuery(readable(caller, null), null, DecisionQuery.MAX_LIMIT))
        .stream()
        .filter(d -> d.kind() == Decision.Kind.COMPOSITION && intent.equals(d.intent())
            && Boolean.TRUE.equals(d.details().get("shadow")))
        .toList();
    return ShadowReport.of(intent, shadowed, decisions, history);
  }

  @GetMapping(ApiConfiguration.API_PATH + "/decisions")
  List<Decision> decisions(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @RequestParam(required = false) String user,
      @RequestParam(required = false) String processInstanceId,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > DecisionQuery.MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + DecisionQuery.MAX_LIMIT);
    }
    List<Decision> found = decisions.find(new DecisionQuery(readable(caller, user), processInstanceId, limit));
    if (processInstanceId == null) {
      return found;
    }
    // one instance's decisions are its timeline: oldest first
    return found.stream().sorted(Comparator.comparing(Decision::decidedAt)).toList();
  }

  /** The same timeline drawn: a bar per step run, a line per switch (open it in a browser). */
  @GetMapping(value = ApiConfiguration.API_PATH + "/decisions/timeline.svg", produces = "image/svg+xml")
  String timeline(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @RequestParam String processInstanceId) {
    List<Decision> found =
        decisions.find(new DecisionQuery(readable(caller, null), processInstanceId, DecisionQuery.MAX_LIMIT));
    if (found.isEmpty()) {
      throw new NotFoundException("no decisions about process instance '" + processInstanceId + "' that you may read");
    }
    return TimelineSvg.draw(processInstanceId, found);
  }

  /** Users read their own decisions; camunda-admin members anyone's. */
  private static String readable(ApiUser caller, String user) {
    if (caller.isAdmin()) {
      return user;
    }
    if (user != null && !user.equals(caller.id())) {
      throw new ForbiddenException("only members of camunda-admin read other users' decisions");
    }
    return caller.id();
  }
}
