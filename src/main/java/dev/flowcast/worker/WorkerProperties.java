package dev.flowcast.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * External-task workers ({@code flowcast.workers.*}).
 *
 * @param staleAfter a worker whose last heartbeat is older than this is no longer capacity
 * @param slot what one slot of a worker stands for in the resource monitor's terms (a worker of
 *     {@code n} slots is {@code n} times this)
 * @param local the worker processes Flowcast starts on this machine (provider {@code local-workers})
 */
@Validated
@ConfigurationProperties("flowcast.workers")
public record WorkerProperties(
    @DurationMin(seconds = 1) @DefaultValue("PT15S") Duration staleAfter,
    @Valid @DefaultValue Slot slot,
    @Valid @DefaultValue Local local) {

  /**
   * What one slot stands for. The defaults make a worker of 4 slots the shipped catalog's unit
   * (2 vCPU, 8192 MB): with provider {@code local-workers} the two must agree (checked at start-up).
   *
   * @param vcpu the vCPU one slot stands for
   * @param memoryMb the memory one slot stands for
   */
  public record Slot(@Positive @DefaultValue("0.5") double vcpu, @Positive @DefaultValue("2048") double memoryMb) {}

  /**
   * @param perPool workers started for each pool when the application starts (0: none)
   * @param pools the pools they serve (empty: every pool of the price catalog)
   * @param slots the slots of each (steps it runs at once)
   * @param user the Camunda user they authenticate as (a member of the administrators' group)
   * @param password its password
   * @param heapMb the heap of each worker process
   * @param expectedStartup the start-up time assumed until one has been measured
   * @param lock how long each fetched task stays locked before its worker extends the lock (a
   *     dead worker's tasks go to another within about this long)
   * @param classPath the class path the worker processes run on (empty: this application's own); it
   *     must hold Flowcast's starter and its dependencies, nothing of the application's
   */
  public record Local(
      @Min(0) @Max(16) @DefaultValue("0") int perPool,
      @DefaultValue List<String> pools,
      @Min(1) @Max(64) @DefaultValue("4") int slots,
      @DefaultValue("demo") String user,
      @DefaultValue("demo") String password,
      @Min(32) @DefaultValue("96") int heapMb,
      @DurationMin(millis = 100) @DefaultValue("PT5S") Duration expectedStartup,
      @DurationMin(seconds = 1) @DefaultValue("PT30S") Duration lock,
      @DefaultValue("") String classPath) {

    public Local {
      pools = pools == null ? List.of() : List.copyOf(pools);
      classPath = classPath == null ? "" : classPath.strip();
    }
  }
}
