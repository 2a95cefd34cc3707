package dev.flowcast.api;

import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.Composer;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /flowcast/api/components}: the task components, the refused files and the intents. */
@RestController
class ComponentController {

  private final ComponentLibrary library;
  private final Composer composer;

  ComponentController(ComponentLibrary library, Composer composer) {
    this.library = library;
    this.composer = composer;
  }

  @GetMapping(ApiConfiguration.API_PATH + "/components")
  Map<String, Object> components() {
    return Map.of("components", library.components(), "problems", library.problems());
  }

  @GetMapping(ApiConfiguration.API_PATH + "/intents")
  Map<String, Object> intents() {
    return Map.of("intents", composer.intents());
  }
}
