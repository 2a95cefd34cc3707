package dev.flowcast.config;

/**
 * The extension properties on each step (call activity) of a composed process: what it is bound
 * to. The assembler writes them; the engine plugin and the re-composer read them back.
 */
public final class StepProperties {

  public static final String COMPONENT = "flowcast.component";
  public static final String POOL = "flowcast.pool";
  public static final String CAPABILITY = "flowcast.capability";

  private StepProperties() {}
}
