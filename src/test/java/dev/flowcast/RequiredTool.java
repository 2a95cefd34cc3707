package dev.flowcast;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs something outside the JVM (a program, a database server it may stop): on a
 * developer machine without it the test is skipped, saying what is missing; under {@code CI=true}
 * ({@code .ci/run} exports it, and installs everything) a skip would hide a test that never ran,
 * so it fails instead.
 */
public final class RequiredTool {

  private RequiredTool() {}

  /** Goes on when {@code present}; otherwise fails under {@code CI=true} and skips elsewhere. */
  public static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if (underCi()) {
      Assertions.fail("CI=true: " + missing);
    }
    Assumptions.abort("skipped: " + missing);
  }

  static boolean underCi() {
    return "true".equals(System.getenv("CI"));
  }
}
