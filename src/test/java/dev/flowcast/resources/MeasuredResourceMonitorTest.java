package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.SchemaConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The monitor as the application wires it (its auto-configuration on a real H2 with Flyway),
 * measuring this machine through OSHI, or through a source that can be made to fail or be given a
 * load.
 */
class MeasuredResourceMonitorTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              DataSourceAutoConfiguration.class, SchemaConfiguration.class, JdbcTemplateAutoConfiguration.class,
              JdbcClientAutoConfiguration.class, ResourcesConfiguration.class))
          .withUserConfiguration(Settings.class)
          .withPropertyValues(
              "spring.datasource.url=jdbc:h2:mem:monitor-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
              "flowcast.resources.sample-interval=PT1H",
              "flowcast.resources.stale-after=PT30S",
              "flowcast.resources.stale-capacity-factor=0.5");

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FlowcastProperties.class)
  static class Settings {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  /** OSHI until told to fail, as a source whose server went away. */
  @Configuration(proxyBeanMethods = false)
  static class FailingOnDemand {
    static final AtomicBoolean failing = new AtomicBoolean();

    @Bean
    MetricsSource switchableSource(Clock clock) {
      OshiMetricsSource oshi = new OshiMetricsSource(clock, 1000, 3000);
      return new MetricsSource() {
        @Override
        public ResourceSample sample() {
          if (failing.get()) {
            throw new MetricsUnavailableException("connection refused", null);
          }
          return oshi.sample();
        }

        @Override
        public String name() {
          return "switchable-oshi";
        }
      };
    }
  }

  /**
   * A machine of eight cores whose CPU load the test sets: what the monitor makes of a sample,
   * whatever else the machine running the test is doing (OshiMetricsSourceTest measures real load).
   */
  @Configuration(proxyBeanMethods = false)
  static class SetLoad {
    static final double CORES = 8;
    static final AtomicReference<Double> busyCores = new AtomicReference<>(0.0);

    @Bean
    MetricsSource setLoadSource(Clock clock) {
      return new MetricsSource() {
        @Override
        public ResourceSample sample() {
          return new ResourceSample(clock.instant(), CORES, busyCores.get(), 32_768, 3_276.8, 1000, 1e5, 1e5,
              3000, 1e5, 1e5, 30, 30);
        }

        @Override
        public String name() {
          return "set-load";
        }
      };
    }
  }

  @Test
  void shouldProfileEveryKindAtEveryHorizonFromRealMeasurements() {
    runner.run(context -> {
      ResourceSampler sampler = context.getBean(ResourceSampler.class);
      sampler.sampleNow();
      sampler.sampleNow();
      ResourceProfile profile = context.getBean(ResourceMonitor.class).profile(Instant.now());

      assertThat(profile.freshness().stale()).isFalse();
      assertThat(profile.freshness().source()).isEqualTo("oshi");
      assertThat(profile.kinds()).containsOnlyKeys(ResourceKind.values());
      ResourceProfile.KindProfile cpu = profile.kinds().get(ResourceKind.CPU);
      assertThat(cpu.capacity()).isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(cpu.available()).isBetween(0.0, cpu.capacity());
      assertThat(cpu.projectedAvailable()).containsOnlyKeys(ResourceProfile.HORIZONS);
      cpu.projectedAvailable().values().forEach(p -> assertThat(p.upper()).isLessThanOrEqualTo(p.expected()));
      assertThat(profile.pools()).containsOnlyKeys("on-demand", "spot", "reserved");
      PoolCapacity spot = profile.pools().get("spot");
      assertThat(spot.available().vcpu()).isCloseTo(32 * cpu.freeShare(), within(1e-9));
      assertThat(context.getBean(ResourceHistory.class).since(ResourceHistory.Resolution.RAW, Instant.EPOCH))
          .as("every sample is kept").hasSize(3);
    });
  }

  /** The shipped catalog's spot pool (2-vCPU units) with 2 units ready and 4 more on their way, due in 7 minutes. */
  @Configuration(proxyBeanMethods = false)
  static class SpotGrowing {
    static final Duration DUE_IN = Duration.ofMinutes(7);

    @Bean
    PoolSupply growingSpot() {
      return (pool, now) -> pool.equals("spot")
          ? java.util.Optional.of(new PoolSupply.Supply(2, java.util.List.of(new PoolSupply.Arrival(4, now.plus(DUE_IN)))))
          : java.util.Optional.empty();
    }
  }

  @Test
  void shouldOfferAnElasticPoolsReadyUnitsAndCountArrivingOnesFromTheHorizonTheyAreDue() {
    // a machine with 6 of its 8 cores busy: it shrinks the pools of the catalog's capacity, which
    // run on it, not a pool whose units a provider supplies (they report their own use)
    SetLoad.busyCores.set(6.0);
    runner.withUserConfiguration(SpotGrowing.class, SetLoad.class).run(context -> {
      context.getBean(ResourceSampler.class).sampleNow();
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      context.getBean(ReservationLedger.class).reserve("instance-1", Map.of("spot", new ResourceDemand(1, 0, 0, 0)));

      ResourceProfile profile = monitor.profile(Instant.now());

      ResourceProfile.KindProfile cpu = profile.kinds().get(ResourceKind.CPU);
      assertThat(cpu.freeShare()).isLessThan(0.5);
      PoolCapacity spot = profile.pools().get("spot");
      assertThat(spot.capacity().vcpu()).as("2 ready units of 2 vCPU, not the catalog's 32").isEqualTo(4);
      assertThat(spot.available().vcpu()).as("the ready units less the reservation").isEqualTo(4 - 1);
      Duration five = Duration.ofMinutes(5);
      Duration ten = Duration.ofMinutes(10);
      assertThat(spot.projectedAvailable().get(five).vcpu()).as("the 4 units are not there yet at +5 min")
          .isEqualTo(4 - 1);
      assertThat(spot.projectedAvailable().get(ten).vcpu()).as("6 units ready by +10 min").isEqualTo(12 - 1);
      assertThat(spot.availableAt(Duration.ofMinutes(8)).vcpu()).isGreaterThan(spot.available().vcpu());
      PoolCapacity onDemand = profile.pools().get("on-demand");
      assertThat(onDemand.capacity().vcpu()).as("a pool the supply does not size").isEqualTo(16);
      assertThat(onDemand.available().vcpu()).as("the machine's free share of it")
          .isCloseTo(16 * cpu.freeShare(), within(1e-9));
      assertThat(onDemand.projectedAvailable().get(ten).vcpu()).isCloseTo(16 * shareAt(cpu, ten), within(1e-9));
      assertThat(profile.pools().get("reserved").capacity().vcpu()).as("a fixed pool").isEqualTo(4);
    });
  }

  private static double shareAt(ResourceProfile.KindProfile kind, Duration horizon) {
    return Math.min(1.0, kind.projectedAvailable().get(horizon).upper() / kind.capacity());
  }

  @Test
  void shouldSubtractReservationsFromTheirPool() {
    // a machine with cores free: on a fully busy one every pool has nothing free, reserved or not
    SetLoad.busyCores.set(0.1 * SetLoad.CORES);
    runner.withUserConfiguration(SetLoad.class).run(context -> {
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      double before = monitor.profile(Instant.now()).pools().get("on-demand").available().vcpu();

      context.getBean(ReservationLedger.class).reserve("instance-1", Map.of("on-demand", new ResourceDemand(8, 0, 0, 0)));
      ResourceProfile after = monitor.profile(Instant.now());

      double share = after.kinds().get(ResourceKind.CPU).freeShare();
      assertThat(after.pools().get("on-demand").available().vcpu()).isCloseTo((16 - 8) * share, within(1e-9));
      assertThat(after.pools().get("on-demand").available().vcpu()).isLessThan(before);
    });
  }

  @Test
  void shouldProfileOnlyThePoolsAskedForWithTheFiguresTheWholeProfileHasForThem() {
    SetLoad.busyCores.set(0.1 * SetLoad.CORES);
    runner.withUserConfiguration(SetLoad.class).run(context -> {
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      ReservationLedger ledger = context.getBean(ReservationLedger.class);
      ledger.reserve("instance-1", Map.of("on-demand", new ResourceDemand(8, 0, 0, 0), "spot", new ResourceDemand(2, 0, 0, 0)));
      ledger.reserve("instance-2", Map.of("on-demand", new ResourceDemand(1, 0, 0, 0)));
      ledger.reserve("instance-3", Map.of("reserved", new ResourceDemand(1, 0, 0, 0)));
      ledger.release("instance-3");
      Instant at = Instant.now();

      ResourceProfile whole = monitor.profile(at);
      ResourceProfile onDemandOnly = monitor.profile(at, Set.of("on-demand"));

      assertThat(onDemandOnly.pools()).containsOnlyKeys("on-demand");
      assertThat(onDemandOnly.pools().get("on-demand")).isEqualTo(whole.pools().get("on-demand"));
      assertThat(whole.pools().get("on-demand").available().vcpu())
          .isCloseTo((16 - 9) * whole.kinds().get(ResourceKind.CPU).freeShare(), within(1e-9));
      assertThat(ledger.heldPerPool(Set.of("on-demand", "reserved")))
          .as("the released reservation is not held, the spot pool's not asked for")
          .containsOnly(Map.entry("on-demand", new ResourceDemand(9, 0, 0, 0)));
    });
  }

  @Test
  void shouldSeeCpuLoadWithinASampleAndItsEndWithinAnother() {
    runner.withUserConfiguration(SetLoad.class).run(context -> {
      ResourceSampler sampler = context.getBean(ResourceSampler.class);
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      SetLoad.busyCores.set(0.8);
      sampler.sampleNow();
      double idle = monitor.profile(Instant.now()).kinds().get(ResourceKind.CPU).available();

      SetLoad.busyCores.set(SetLoad.CORES);
      sampler.sampleNow();
      double loaded = monitor.profile(Instant.now()).kinds().get(ResourceKind.CPU).available();

      SetLoad.busyCores.set(0.8);
      sampler.sampleNow();
      double recovered = monitor.profile(Instant.now()).kinds().get(ResourceKind.CPU).available();

      assertThat(loaded).as("available vCPU with every core busy (idle was %.2f)", idle).isLessThan(0.5);
      assertThat(recovered).as("once the load has ended").isGreaterThan(loaded + 0.5);
    });
  }

  @Test
  void shouldMarkTheProfileStaleAndCountOnLessWhileTheSourceFails() {
    runner.withUserConfiguration(FailingOnDemand.class).run(context -> {
      FailingOnDemand.failing.set(false);
      ResourceSampler sampler = context.getBean(ResourceSampler.class);
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);
      sampler.sampleNow();
      ResourceProfile fresh = monitor.profile(Instant.now());

      FailingOnDemand.failing.set(true);
      sampler.sampleNow();
      ResourceProfile stale = monitor.profile(Instant.now());

      assertThat(fresh.freshness().stale()).isFalse();
      assertThat(stale.freshness().stale()).isTrue();
      assertThat(stale.freshness().problem()).isEqualTo("connection refused");
      assertThat(stale.kinds().get(ResourceKind.CPU).available())
          .as("the last good sample").isEqualTo(fresh.kinds().get(ResourceKind.CPU).available());
      assertThat(stale.pools().get("spot").available().vcpu())
          .as("half of what the same sample gave while fresh")
          .isCloseTo(fresh.pools().get("spot").available().vcpu() * 0.5, within(1e-9));

      FailingOnDemand.failing.set(false);
      sampler.sampleNow();
      assertThat(monitor.profile(Instant.now()).freshness().stale()).isFalse();
    });
  }

  @Test
  void shouldCallASampleStaleOnceItIsOlderThanConfigured() {
    runner.run(context -> {
      ResourceMonitor monitor = context.getBean(ResourceMonitor.class);

      ResourceProfile later = monitor.profile(Instant.now().plus(Duration.ofMinutes(2)));

      assertThat(later.freshness().stale()).isTrue();
      assertThat(later.freshness().sampleAge()).isGreaterThan(Duration.ofSeconds(90));
      assertThat(later.freshness().problem()).isNull();
    });
  }

  @Test
  void shouldRegisterTheGauges() {
    // the one sample taken at the start must still be fresh when the gauges are read: on a busy
    // machine, starting the context alone took longer than the 30 s the other tests allow
    runner.withPropertyValues("flowcast.resources.stale-after=PT1H").run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      System.gc(); // gauges must outlive a collection (a weakly held state object reads NaN after it)

      assertThat(registry.get("flowcast.resource.available").tag("kind", "cpu").gauge().value()).isGreaterThanOrEqualTo(0);
      assertThat(registry.get("flowcast.resource.projected.available").tag("kind", "memory").tag("horizon", "15m").gauge().value())
          .isGreaterThan(0);
      assertThat(registry.get("flowcast.pool.available").tag("pool", "spot").tag("kind", "cpu").gauge().value())
          .isGreaterThanOrEqualTo(0);
      assertThat(registry.get("flowcast.resource.stale").gauge().value()).isZero();
    });
  }
}
