package dev.flowcast.composer;

import java.util.function.Supplier;

/**
 * Marks the thread while the composer starts an instance, so the engine plugin can tell its starts
 * from a start that bypassed it (the engine's REST API, Cockpit, Tasklist). A thread mark, not a
 * process variable: a caller of the engine's API can set any variable, not this.
 */
public final class ComposerStarts {

  private static final ThreadLocal<Boolean> UNDERWAY = ThreadLocal.withInitial(() -> false);

  private ComposerStarts() {}

  /** Whether the composer is starting an instance on this thread right now. */
  public static boolean underway() {
    return UNDERWAY.get();
  }

  static <T> T run(Supplier<T> start) {
    boolean outer = UNDERWAY.get();
    UNDERWAY.set(true);
    try {
      return start.get();
    } finally {
      UNDERWAY.set(outer);
    }
  }
}
