package dev.flowcast.composer;

import java.util.function.Supplier;

/** For benchmarks outside this package: start an instance the way the composer does (no direct-start accounting). */
public final class AsTheComposerStarts {

  private AsTheComposerStarts() {}

  public static <T> T run(Supplier<T> start) {
    return ComposerStarts.run(start);
  }
}
