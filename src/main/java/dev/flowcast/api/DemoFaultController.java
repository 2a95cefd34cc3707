package dev.flowcast.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.demo.DemoFaults;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fault injection, for tests and demos only (profile {@code demo}, members of
 * {@code camunda-admin}): {@code POST /demo/faults} with
 * {@code {"component": "render-report", "slowdownFactor": 10, "seconds": 120}} makes that demo
 * component's work that much slower; {@code DELETE /demo/faults/{component}} ends it.
 */
@RestController
@Profile("demo")
@RequestMapping(ApiConfiguration.API_PATH + "/demo/faults")
class DemoFaultController {

  /** The body of {@code POST /demo/faults}. */
  record FaultBody(String component, Double slowdownFactor, Boolean fail, Long seconds) {}

  private final DemoFaults faults;
  private final ComponentLibrary components;
  private final ObjectReader reader;
  private final Clock clock;

  DemoFaultController(DemoFaults faults, ComponentLibrary components, ObjectMapper json, Clock clock) {
    this.faults = faults;
    this.components = components;
    this.clock = clock;
    this.reader = JsonProblems.strict(json).readerFor(FaultBody.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  @GetMapping
  Map<String, DemoFaults.Fault> active(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller) {
    caller.requireAdmin();
    return faults.active(clock.instant());
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  DemoFaults.Fault inject(
      @RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller,
      @org.springframework.web.bind.annotation.RequestBody(required = false) String body) {
    caller.requireAdmin();
    if (body == null || body.isBlank()) {
      throw new BadRequestException("empty body: send component, slowdownFactor (or \"fail\": true) and seconds");
    }
    FaultBody fault = JsonProblems.object(reader, body, "fault");
    boolean fail = Boolean.TRUE.equals(fault.fail());
    if (fault.component() == null || fault.seconds() == null || (fault.slowdownFactor() == null) == !fail) {
      throw new BadRequestException("component and seconds are required, and either slowdownFactor or \"fail\": true");
    }
    if (components.components().stream().map(TaskComponent::name).noneMatch(fault.component()::equals)) {
      throw new NotFoundException("no task component '" + fault.component() + "'; components: "
          + components.components().stream().map(TaskComponent::name).sorted().toList());
    }
    try {
      return fail ? faults.injectFailure(fault.component(), Duration.ofSeconds(fault.seconds()), clock.instant())
          : faults.inject(fault.component(), fault.slowdownFactor(), Duration.ofSeconds(fault.seconds()), clock.instant());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  @DeleteMapping("/{component}")
  Map<String, Object> end(@RequestAttribute(ApiUser.ATTRIBUTE) ApiUser caller, @PathVariable String component) {
    caller.requireAdmin();
    if (!faults.end(component)) {
      throw new NotFoundException("no fault is injected into '" + component + "'");
    }
    return Map.of("component", component, "ended", true);
  }
}
