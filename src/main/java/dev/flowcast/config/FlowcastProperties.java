package dev.flowcast.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
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
    @Valid @DefaultValue Queue queue,
    @Valid @DefaultValue Activity activity,
    @Valid @DefaultValue Prediction prediction,
    @Valid @DefaultValue Proactive proactive,
    @Valid @DefaultValue Adaptive adaptive,
    @Valid @DefaultValue Api api,
    @Valid @DefaultValue Capacity capacity,
    @Valid @DefaultValue Database database,
    Map<String, Intent> intents) {

  public FlowcastProperties {
    intents = intents == null ? Map.of() : Map.copyOf(intents);
  }

  /** Whether Flowcast's composition steers requests of an intent, or only shadows a static process. */
  public enum Mode { ACTIVE, SHADOW }

  /**
   * Settings of one intent ({@code flowcast.intents.<intent>.*}).
   *
   * @param mode {@code active} (default): Flowcast composes and runs its best choice; {@code shadow}:
   *     the template's static binding runs, as a static process would, while Flowcast still
   *     predicts, scores and logs what it would have chosen
   */
  public record Intent(@DefaultValue("active") Mode mode) {}

  /** The mode of an intent: active unless configured otherwise. */
  public Mode modeOf(String intent) {
    Intent settings = intents.get(intent);
    return settings == null || settings.mode() == null ? Mode.ACTIVE : settings.mode();
  }

  /**
   * The connection pool the engine and Flowcast share.
   *
   * @param apiConnections connections the pool keeps for requests beyond one for each of the job
   *     executor's threads: the start is refused when {@code spring.datasource.hikari.maximum-pool-size}
   *     is less than {@code camunda.bpm.job-execution.max-pool-size} plus this, since a job holds its
   *     connection while it runs, and requests would otherwise wait for one while every job runs
   */
  public record Database(@Min(0) @DefaultValue("4") int apiConnections) {}

  /**
   * The REST API and Actuator.
   *
   * @param prometheusRequiresAuthentication whether {@code /actuator/prometheus} asks for a Camunda
   *     user (off: scrapers inside the cluster's network read it without credentials)
   * @param maxBodySize the largest body the API reads (an activity batch of 10,000 events, an event
   *     log to import); larger ones are refused with 413 before they are read
   */
  public record Api(
      @DefaultValue("false") boolean prometheusRequiresAuthentication,
      @NotNull @DefaultValue("16MB") org.springframework.util.unit.DataSize maxBodySize) {}

  /**
   * The adaptive component: when a running composed instance counts as degraded, and how eagerly
   * it is switched to a better version.
   *
   * @param enabled whether running instances are checked on a schedule (steps are measured always)
   * @param checkInterval how often running instances are assessed
   * @param slowFactor a step is slow past this many times its p95 duration ...
   * @param minimumOverrun ... and at least this much past it (short steps jitter)
   * @param minimumSamples observed durations replace the declared one from this many runs on
   * @param sampleWindow the most recent runs per component the distribution is taken from
   * @param slowEvidence how long a step cancelled past its threshold still marks its component slow
   * @param durationsMaxAge how old a read of the observed durations may be when a request is scored
   *     (decision 0045); {@code PT0S} reads them for every request
   * @param confirmations consecutive checks that must find an instance degraded before it is switched
   * @param clearBelow hysteresis: the count of confirmations starts again only once the degradation
   *     falls below this share of its threshold
   * @param margin an alternative must beat staying by this much of the score
   * @param cooldown no second switch of one instance within this time
   * @param maxSwitches switches per instance at most
   */
  public record Adaptive(
      @DefaultValue("true") boolean enabled,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT5S") Duration checkInterval,
      @DecimalMin("1.0") @DefaultValue("2.0") double slowFactor,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT5S") Duration minimumOverrun,
      @Min(1) @DefaultValue("20") int minimumSamples,
      @Min(1) @DefaultValue("100") int sampleWindow,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT10M") Duration slowEvidence,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT1S") Duration durationsMaxAge,
      @Min(1) @DefaultValue("2") int confirmations,
      @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.8") double clearBelow,
      @PositiveOrZero @DefaultValue("0.1") double margin,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT30S") Duration cooldown,
      @Min(0) @DefaultValue("2") int maxSwitches) {}

  /**
   * The activity log.
   *
   * @param retention how long events are kept
   * @param maxAhead how far past the server's clock an event may be dated (events before 1970 are
   *     always refused)
   */
  public record Activity(
      @NotNull @DurationMin(millis = 1) @DefaultValue("P90D") Duration retention, @NotNull @DurationMin(millis = 0) @DefaultValue("PT24H") Duration maxAhead) {}

  /**
   * The prediction component.
   *
   * @param sessionGap inactivity that ends a user's session
   * @param trainingWindow how far back training reads the activity log
   * @param minimumEvents fewer events than this in the window: no training, a baseline answers
   * @param trainingInterval how often the model is retrained on a schedule (zero: never)
   * @param refreshInterval how often a node looks for a newer model in the registry
   * @param cacheTtl how long a user's prediction is reused
   * @param demandTrainingWindow how far back the demand model reads the measured history
   * @param demandMinimumPoints the fewest 5-minute points of history the demand model is trained on
   *     (one day: 288); with less, the trend projects
   * @param demandTrainingInterval how often the demand model is retrained on a schedule (zero: never)
   */
  public record Prediction(
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT30M") Duration sessionGap,
      @NotNull @DurationMin(millis = 1) @DefaultValue("P30D") Duration trainingWindow,
      @Min(1) @DefaultValue("200000") int maximumTrainingEvents,
      @Min(2) @DefaultValue("50") int minimumEvents,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT6H") Duration trainingInterval,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT30S") Duration refreshInterval,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT30S") Duration cacheTtl,
      @NotNull @DurationMin(millis = 1) @DefaultValue("P14D") Duration demandTrainingWindow,
      @Min(60) @DefaultValue("288") int demandMinimumPoints,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT6H") Duration demandTrainingInterval) {}

  /**
   * The proactive loop: for every user active lately, compose ahead of time the intents predicted
   * above a threshold, so a request finds its workflow already deployed.
   */
  public record Proactive(
      @DefaultValue("true") boolean enabled,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT1M") Duration interval,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT1H") Duration activeWithin,
      @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.3") double threshold) {}

  /** Where task components (BPMN fragments) are read from. */
  public record Components(
      @NotBlank @DefaultValue("file:task-components/") String location,
      @NotBlank @DefaultValue("classpath:task-components/") String fallbackLocation) {}

  /** Where workflow templates (one per intent) are read from. */
  public record Templates(
      @NotBlank @DefaultValue("classpath:bpmn/templates/") String location) {}

  /**
   * The composer.
   *
   * @param maxCandidates bound on the candidates of one request
   * @param alternativesShown alternatives in the answer
   * @param historyTimeToLive days, on every composed process
   * @param authorizationCacheTtl how long the engine's answers about a user's rights are reused
   *     across requests: this node forgets them at once when its engine changes rights, another
   *     node's change is honoured after at most this long; zero asks the engine every time
   * @param leastSavingToWait a request waits for capacity on its way in an elastic pool only when
   *     the candidate it waits for costs at least this share less per run than the best that fits
   *     now: waiting delays the request, and a saving of a fraction of a percent is not worth it
   */
  public record Composer(
      @Min(1) @DefaultValue("512") int maxCandidates,
      @Min(1) @DefaultValue("3") int alternativesShown,
      @NotBlank @Pattern(regexp = "\\d+|P\\d+D", message = "must be a whole number of days, e.g. 30 or P30D")
      @DefaultValue("30") String historyTimeToLive,
      @NotNull @DefaultValue("PT10S") Duration authorizationCacheTtl,
      @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.1") double leastSavingToWait) {

    public Composer {
      if (authorizationCacheTtl != null && authorizationCacheTtl.isNegative()) {
        throw new IllegalArgumentException(
            "flowcast.composer.authorization-cache-ttl must not be negative: " + authorizationCacheTtl);
      }
    }
  }

  /** Weights of the score parts; total = p·probability + f·fit + c·cost − r·risk. */
  public record Scoring(
      @PositiveOrZero @DefaultValue("1.0") double probabilityWeight,
      @PositiveOrZero @DefaultValue("1.0") double fitWeight,
      @PositiveOrZero @DefaultValue("1.0") double costWeight,
      @PositiveOrZero @DefaultValue("1.0") double riskWeight,
      @DefaultValue("0.0") double minimum) {}

  /**
   * The resource monitor: where metrics come from, how often, how long they are kept, the price
   * catalog, and how projections and stale data are treated.
   *
   * @param source {@code oshi} (this machine) or {@code prometheus} (a cluster)
   * @param prices the price catalog file (YAML), reloaded when it changes
   * @param rawRetention how long raw samples are kept
   * @param downsampledRetention how long 1-minute rows are kept
   * @param trendWindow the recent samples the trend projection is fitted on
   * @param upperQuantileZ standard deviations above the trend for the upper bound of use (1.645: 95%)
   * @param staleAfter a sample older than this makes the profile stale
   * @param staleCapacityFactor share of the last known free capacity the composer counts on while stale
   * @param networkCapacityMbps link capacity when the interfaces do not report a speed
   * @param diskCapacityIops the disks' operations per second at most (not measurable: configured)
   */
  public record Resources(
      @NotBlank @DefaultValue("oshi") String source,
      @NotBlank @DefaultValue("file:config/prices.yml") String prices,
      @NotBlank @DefaultValue("classpath:config/prices.yml") String fallbackPrices,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT5S") Duration sampleInterval,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT24H") Duration rawRetention,
      @NotNull @DurationMin(millis = 1) @DefaultValue("P30D") Duration downsampledRetention,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT3M") Duration trendWindow,
      @PositiveOrZero @DefaultValue("1.645") double upperQuantileZ,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT30S") Duration staleAfter,
      @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double staleCapacityFactor,
      @PositiveOrZero @DefaultValue("1000") double networkCapacityMbps,
      @PositiveOrZero @DefaultValue("3000") double diskCapacityIops,
      @Valid @DefaultValue Prometheus prometheus) {}

  /** A Prometheus server's HTTP query API and one PromQL expression per measured quantity. */
  public record Prometheus(
      @NotBlank @DefaultValue("http://localhost:9090") String url,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT5S") Duration timeout,
      @NotBlank @DefaultValue("count(node_cpu_seconds_total{mode=\"idle\"})") String cpuCapacity,
      @NotBlank @DefaultValue("sum(rate(node_cpu_seconds_total{mode!=\"idle\"}[1m]))") String cpuUsed,
      @NotBlank @DefaultValue("sum(node_memory_MemTotal_bytes)") String memoryCapacityBytes,
      @NotBlank @DefaultValue("sum(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)") String memoryUsedBytes,
      @NotBlank @DefaultValue("sum(rate(node_network_receive_bytes_total{device!=\"lo\"}[1m]))") String networkInBytesPerSecond,
      @NotBlank @DefaultValue("sum(rate(node_network_transmit_bytes_total{device!=\"lo\"}[1m]))") String networkOutBytesPerSecond,
      @NotBlank @DefaultValue("sum(rate(node_disk_read_bytes_total[1m]))") String diskReadBytesPerSecond,
      @NotBlank @DefaultValue("sum(rate(node_disk_written_bytes_total[1m]))") String diskWriteBytesPerSecond,
      @NotBlank @DefaultValue("sum(rate(node_disk_reads_completed_total[1m]))") String diskReadsPerSecond,
      @NotBlank @DefaultValue("sum(rate(node_disk_writes_completed_total[1m]))") String diskWritesPerSecond) {}

  /**
   * Elastic pools (those with {@code elasticity} in the price catalog): where their units come
   * from, who decides how many, how often.
   *
   * @param provider {@code fixed} (default: the catalog's capacity, nothing scales),
   *     {@code kubernetes}, {@code local-workers}, or the name of a CapacityProvider bean
   * @param planner {@code predictive} (default: the demand predicted at the lead time) or
   *     {@code reactive} (what KEDA and the HPA do), or the name of a CapacityPlanner bean
   * @param tickInterval how often the planner looks at every elastic pool
   * @param targetUtilization the share of a unit the planners fill (the HPA's target)
   * @param reactiveCooldown the reactive rule keeps its highest size of this long before scaling in
   * @param mode {@code active}: the provider is asked for the planned size; {@code shadow}: the
   *     plan is decided and logged, nothing is asked for
   * @param overflow what the predictive planner does with demand expected in a pool beyond its most
   *     units: {@code none} (each pool on its own) or {@code spill} (to the other elastic pools,
   *     cheapest first; decision 0040)
   * @param scaleInHold over how long the predictive planner gives back no units it wanted: {@code
   *     scale-in-delay} (the pool's scale-in delay, as the HPA) or {@code lead-time} (the lead time with
   *     its margin when that is longer; decision 0043)
   */
  public record Capacity(
      @NotBlank @DefaultValue("fixed") String provider,
      @NotBlank @DefaultValue("predictive") String planner,
      @NotNull @DurationMin(seconds = 1) @DefaultValue("PT30S") Duration tickInterval,
      @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") @DefaultValue("0.7") double targetUtilization,
      @NotNull @DurationMin(millis = 0) @DefaultValue("PT5M") Duration reactiveCooldown,
      @NotNull @DefaultValue("active") Mode mode,
      @Valid @DefaultValue Kubernetes kubernetes,
      @NotBlank @DefaultValue("none") String overflow,
      @NotBlank @Pattern(regexp = "scale-in-delay|lead-time", message = "must be scale-in-delay or lead-time")
      @DefaultValue("scale-in-delay") String scaleInHold) {}

  /**
   * The {@code kubernetes} provider: one Deployment per elastic pool, scaled through its
   * {@code scale} subresource. The cluster is reached as the client finds it (in a pod: its
   * service account; elsewhere: {@code ~/.kube/config} or {@code KUBECONFIG}).
   *
   * @param namespace where the Deployments are; empty: the client's namespace
   * @param deployments the Deployment of each pool; a pool not named here is scaled through
   *     {@code flowcast-<pool>}
   * @param masterUrl the API server, when not the client's own (tests, a proxy)
   */
  public record Kubernetes(
      @DefaultValue("") String namespace,
      Map<String, String> deployments,
      @DefaultValue("") String masterUrl) {

    public Kubernetes {
      deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
    }

    /** The Deployment that holds a pool's units. */
    public String deploymentOf(String pool) {
      return deployments.getOrDefault(pool, "flowcast-" + pool);
    }
  }

  /**
   * The fallback queue.
   *
   * @param retryInterval how often a queued request's turn comes up again: one tick of the queue (a
   *     request with many earlier deadlines ahead of it looks again a tick later for each
   *     {@code retriesPerTick} of them)
   * @param deadline how long a request without its own deadline may wait
   * @param retriesPerTick how many queued requests, the earliest deadlines, may be composed again at
   *     once, and how many tries that find no room one tick allows (the others wait for a later
   *     tick); while there is room, each start makes the next deadline's turn come at once
   */
  public record Queue(
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT30S") Duration retryInterval,
      @NotNull @DurationMin(millis = 1) @DefaultValue("PT1H") Duration deadline,
      @Min(1) @DefaultValue("25") int retriesPerTick) {}
}
