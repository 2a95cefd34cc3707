package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flowcast.resources.PriceCatalogParser.InvalidCatalogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;

/** The price catalog: what it reads, what it refuses (with the line), and reloading a changed file. */
class PriceCatalogTest {

  static final String GOOD = """
      currency: USD
      pools:
        on-demand:
          price-per-vcpu-hour: 0.04048
          price-per-gb-hour: 0.004445
          interruption-rate-per-hour: 0
          capacity: {vcpu: 16, memory-mb: 65536, network-mbps: 10000, disk-iops: 20000}
        spot:
          price-per-vcpu-hour: 0.012144
          price-per-gb-hour: 0.0013335
          interruption-rate-per-hour: 0.05
          capacity: {vcpu: 32, memory-mb: 131072, network-mbps: 10000, disk-iops: 20000}
      """;

  @TempDir Path folder;

  @Test
  void shouldReadPoolsPricesRatesAndLimits() {
    PriceCatalogParser.Parsed parsed = PriceCatalogParser.parse(GOOD);

    assertThat(parsed.currency()).isEqualTo("USD");
    assertThat(parsed.pools()).containsOnlyKeys("on-demand", "spot");
    PricedPool spot = parsed.pools().get("spot");
    assertThat(spot.pricePerVcpuHour()).isEqualTo(0.012144);
    assertThat(spot.interruptionRatePerHour()).isEqualTo(0.05);
    assertThat(spot.capacity()).isEqualTo(new ResourceDemand(32, 131072, 10000, 20000));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
    "price-per-vcpu-hour: 0.012144 | price-per-vcpu-hour: -1     | line 9: price-per-vcpu-hour must be zero or positive, not -1",
    "price-per-gb-hour: 0.0013335  | price-per-gb-hour: cheap    | line 10: price-per-gb-hour must be a number, not 'cheap'",
    "interruption-rate-per-hour: 0.05 | interruption-rate: 0.05 | line 11: unknown key 'interruption-rate' in pool 'spot'",
    "  spot:                        |   Spot Pool:                | line 8: pool name 'Spot Pool' must be lower-case",
    "vcpu: 32,                      | vcpu: [32],                 | line 12: vcpu must be a single value",
    "currency: USD                  | currency: [USD             | line 2: not valid YAML",
  })
  void shouldRefuseAMalformedCatalogNamingTheLine(String from, String to, String message) {
    String broken = GOOD.replace(from.stripTrailing(), to.stripTrailing());

    assertThatThrownBy(() -> PriceCatalogParser.parse(broken))
        .isInstanceOf(InvalidCatalogException.class)
        .hasMessageStartingWith(message.substring(0, message.indexOf(':')))
        .hasMessageContaining(message.substring(message.indexOf(':') + 2));
  }

  @Test
  void shouldRefuseAPoolWithoutCapacityOrPrice() {
    String noCapacity = GOOD.replace("    capacity: {vcpu: 32, memory-mb: 131072, network-mbps: 10000, disk-iops: 20000}\n", "");
    String noPools = "currency: USD\n";

    assertThatThrownBy(() -> PriceCatalogParser.parse(noCapacity)).hasMessageContaining("pool 'spot' lacks 'capacity'");
    assertThatThrownBy(() -> PriceCatalogParser.parse(noPools)).hasMessageContaining("'pools' is missing");
  }

  @Test
  void shouldReloadAChangedFileAndKeepTheLastGoodOneWhenTheChangeIsBroken() throws IOException {
    Path file = folder.resolve("prices.yml");
    Files.writeString(file, GOOD);
    PriceCatalog catalog = new PriceCatalog(new DefaultResourceLoader(), file.toUri().toString(), "classpath:config/prices.yml");
    assertThat(catalog.pools().get("spot").interruptionRatePerHour()).isEqualTo(0.05);

    write(file, GOOD.replace("interruption-rate-per-hour: 0.05", "interruption-rate-per-hour: 0.5"), 1);
    assertThat(catalog.reloadIfChanged()).isTrue();
    assertThat(catalog.pools().get("spot").interruptionRatePerHour()).isEqualTo(0.5);

    write(file, GOOD.replace("price-per-gb-hour: 0.004445", "price-per-gb-hour: -3"), 2);
    assertThat(catalog.reloadIfChanged()).isFalse();
    assertThat(catalog.pools().get("spot").interruptionRatePerHour()).as("the last good catalog").isEqualTo(0.5);
    assertThat(catalog.lastProblem()).contains("prices.yml", "line 5", "price-per-gb-hour must be zero or positive");

    write(file, GOOD, 3);
    assertThat(catalog.reloadIfChanged()).isTrue();
    assertThat(catalog.lastProblem()).isNull();
  }

  @Test
  void shouldStopTheStartWhenTheCatalogIsMalformed() throws IOException {
    Path file = folder.resolve("prices.yml");
    Files.writeString(file, GOOD.replace("disk-iops: 20000}", "disk-iops: lots}"));

    assertThatThrownBy(() -> new PriceCatalog(new DefaultResourceLoader(), file.toUri().toString(), "classpath:none.yml"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FLOWCAST-030")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 7: disk-iops must be a number, not 'lots'");
  }

  @Test
  void shouldFallBackToTheShippedCatalogWhenTheFileDoesNotExistAndSaySo() {
    String absent = folder.resolve("absent.yml").toUri().toString();
    // the catalog's own logger, at INFO whatever an earlier application in this JVM set the levels to
    Logger logger = (Logger) LoggerFactory.getLogger(PriceCatalog.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(lines);
    PriceCatalog catalog;
    try {
      catalog = new PriceCatalog(new DefaultResourceLoader(), absent, "classpath:config/prices.yml");
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }

    assertThat(catalog.pools()).containsKeys("on-demand", "spot", "reserved");
    assertThat(catalog.pools().get("on-demand").pricePerVcpuHour()).isEqualTo(0.04048);
    // a mistyped location is named, not silently replaced by the shipped catalog
    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("FLOWCAST-032").contains("as " + absent + " does not exist"));
  }

  /** File systems keep modification times to the second or worse: set it, so a change is seen. */
  private static void write(Path file, String content, int secondsLater) throws IOException {
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }
}
