package dev.flowcast.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.flowcast.worker.StepWork;
import dev.flowcast.worker.WorkerRefusal;
import dev.flowcast.worker.WorkerRegistry;
import dev.flowcast.worker.WorkerService;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * External-task workers (members of {@code camunda-admin}): {@code POST /workers} registers one for a
 * pool and answers its topics; {@code PUT /workers/{id}/heartbeat} keeps it live; {@code DELETE
 * /workers/{id}} ends it; {@code POST /workers/{id}/runs/{taskId}} starts a step run it has fetched
 * (the run's first claim does the work; a later one gets the result); {@code GET /workers} lists the
 * live ones per pool.
 */
@RestController
@RequestMapping(ApiConfiguration.API_PATH + "/workers")
class WorkerController {

  /** The body of {@code POST /workers}. */
  record RegistrationBody(String id, String pool, Integer slots, String host) {}

  /** The body of {@code PUT /workers/{id}/heartbeat}. */
  record HeartbeatBody(Integer slotsInUse, Long completed, Long cancelled) {}

  private final WorkerService workers;
  private final WorkerRegistry registry;
  private final ObjectReader registrationReader;
  private final ObjectReader heartbeatReader;

  WorkerController(WorkerService workers, WorkerRegistry registry, ObjectMapper json) {
    this.workers = workers;
    this.registry = registry;
    this.registrationReader = JsonProblems.strict(json).readerFor(RegistrationBody.class)
        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.heartbeatReader = JsonProblems.strict(json).readerFor(HeartbeatBody.class)
        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  @GetMapping
  Map<String, Object> live(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    return Map.of("workers", registry.live(), "pools", registry.pools());
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  WorkerService.Registration register(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send id, pool and slots");
    }
    RegistrationBody worker = JsonProblems.object(registrationReader, body, "worker");
    if (worker.id() == null || worker.pool() == null || worker.slots() == null) {
      throw new BadRequestException("id, pool and slots are required");
    }
    return workers.register(worker.id(), worker.pool(), worker.slots(), worker.host());
  }

  @PutMapping(path = "/{id}/heartbeat", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> heartbeat(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @PathVariable String id,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    HeartbeatBody beat = body == null || body.isBlank() ? new HeartbeatBody(0, 0L, 0L)
        : JsonProblems.object(heartbeatReader, body, "heartbeat");
    if (!registry.heartbeat(id, beat.slotsInUse() == null ? 0 : beat.slotsInUse(),
        beat.completed() == null ? 0 : beat.completed(), beat.cancelled() == null ? 0 : beat.cancelled())) {
      throw new NotFoundException("no live worker '" + id + "' is registered: register it again");
    }
    return Map.of("id", id, "live", true);
  }

  @DeleteMapping("/{id}")
  Map<String, Object> deregister(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @PathVariable String id) {
    caller.requireAdmin();
    if (!registry.deregister(id)) {
      throw new NotFoundException("no live worker '" + id + "' is registered");
    }
    return Map.of("id", id, "stopped", true);
  }

  @PostMapping("/{id}/runs/{taskId}")
  WorkerService.RunStart start(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @PathVariable String id,
      @PathVariable String taskId) {
    caller.requireAdmin();
    return workers.start(id, taskId);
  }

  @ExceptionHandler(WorkerRefusal.class)
  ResponseEntity<ApiError> refused(WorkerRefusal e) {
    HttpStatus status = switch (e.kind()) {
      case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CONFLICT -> HttpStatus.CONFLICT;
    };
    return ResponseEntity.status(status).body(ApiError.of(status, e.getMessage()));
  }

  /**
   * The run cannot start now (its work takes turns on something another step holds, or another
   * worker's first claim of it is being recorded): the worker asks again after the wait.
   */
  @ExceptionHandler(StepWork.StepBusyException.class)
  ResponseEntity<ApiError> busy(StepWork.StepBusyException e) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
        .body(ApiError.of(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage() + "; ask again in " + seconds + " s"));
  }

  @ExceptionHandler(StepWork.StepFailedException.class)
  ResponseEntity<ApiError> failed(StepWork.StepFailedException e) {
    return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(ApiError.of(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage()));
  }
}
