package dev.flowcast.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** All Flowcast settings, under {@code flowcast.*}; one nested record per component. */
@Validated
@ConfigurationProperties("flowcast")
public record FlowcastProperties(
    @Valid @DefaultValue Components components,
    @Valid @DefaultValue Templates templates,
    @Valid @DefaultValue Composer composer,
    @Valid @DefaultValue Scoring scoring,
    @Valid @DefaultValue Resources resources,
    @Valid @DefaultValue Queue queue) {

  /** Where task components (BPMN fragments) are read from. */
  public record Components(
      @NotBlank @DefaultValue("file:task-components/") String location,
      @NotBlank @DefaultValue("classpath:task-components/") String fallbackLocation) {}

  /** Where workflow templates (one per intent) are read from. */
  public record Templates(
      @NotBlank @DefaultValue("classpath:bpmn/templates/") String location) {}

  public record Composer(
      @Min(1) @DefaultValue("64") int maxCandidates,
      @Min(1) @DefaultValue("3") int alternativesShown,
      @NotBlank @DefaultValue("30") String historyTimeToLive) {}

  /** Weights of the score parts; total = p·probability + f·fit + c·cost − r·risk. */
  public record Scoring(
      @PositiveOrZero @DefaultValue("1.0") double probabilityWeight,
      @PositiveOrZero @DefaultValue("1.0") double fitWeight,
      @PositiveOrZero @DefaultValue("1.0") double costWeight,
      @PositiveOrZero @DefaultValue("1.0") double riskWeight,
      @DefaultValue("0.0") double minimum) {}

  /** Capacity pools; a placeholder for measured capacity until the monitor replaces it. */
  public record Resources(@Valid @DefaultValue Map<String, Pool> pools) {}

  public record Pool(
      @PositiveOrZero double vcpu,
      @PositiveOrZero double memoryMb,
      @PositiveOrZero double networkMbps,
      @PositiveOrZero double diskIops,
      @PositiveOrZero double pricePerVcpuHour,
      @PositiveOrZero double pricePerGbHour,
      @PositiveOrZero double interruptionRatePerHour) {}

  /** The fallback queue: how often a queued request is re-composed and how long it may wait. */
  public record Queue(
      @NotNull @DefaultValue("PT30S") Duration retryInterval,
      @NotNull @DefaultValue("PT1H") Duration deadline) {}
}
