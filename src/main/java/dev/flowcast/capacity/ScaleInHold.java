package dev.flowcast.capacity;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Over how long a span the predictive planner remembers the sizes it wanted, so that it gives back
 * no units it wanted within it. Chosen by {@code flowcast.capacity.scale-in-hold} ({@code simulate
 * --scale-in-hold}).
 */
public enum ScaleInHold {

  /** The pool's scale-in delay (the HPA's stabilization window): with none, only the tick's own wish counts. */
  SCALE_IN_DELAY,

  /**
   * The scale-in delay, or the lead time with its margin when that is longer: a unit given back now
   * cannot be had again sooner, so demand that returns within it would find the unit gone.
   */
  LEAD_TIME;

  /** The name it is configured by. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** @throws IllegalArgumentException naming the known ones */
  public static ScaleInHold named(String label) {
    return Arrays.stream(values()).filter(h -> h.label().equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scale-in hold '" + label + "'; known: " + labels()));
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(ScaleInHold::label).toList();
  }

  /**
   * The span to remember.
   *
   * @param leadTimeWithMargin how long units asked for now may take, at most
   */
  Duration span(Duration scaleInDelay, Duration leadTimeWithMargin) {
    return this == LEAD_TIME && leadTimeWithMargin.compareTo(scaleInDelay) > 0 ? leadTimeWithMargin : scaleInDelay;
  }
}
