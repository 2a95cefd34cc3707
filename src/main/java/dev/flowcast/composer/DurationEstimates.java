package dev.flowcast.composer;

import java.time.Duration;
import java.util.Set;

/**
 * How long a component's step is expected to take. The default trusts what each component
 * declares; Flowcast's adaptive component replaces it with the durations it observes, so a
 * component that has become slow costs what it costs now.
 */
public interface DurationEstimates {

  /** One consistent view for a whole scoring round (one read, not one per candidate). */
  Snapshot now();

  /**
   * The same view, asked only about these components (by name): estimates that read what was
   * observed need not read it for the rest of the library. The default reads everything.
   */
  default Snapshot nowFor(Set<String> components) {
    return now();
  }

  /** Expected durations as of one moment. */
  @FunctionalInterface
  interface Snapshot {
    Duration expected(TaskComponent component);

    /**
     * The chance that a step bound to this component fails (its work throws): 0 unless the
     * estimates observe failures. It weighs on the scorer's risk beside interruptions.
     */
    default double failureRate(TaskComponent component) {
      return 0.0;
    }
  }

  /** What the components declare ({@code flowcast.expectedDuration}), nothing observed. */
  static DurationEstimates declared() {
    return () -> TaskComponent::expectedDuration;
  }
}
