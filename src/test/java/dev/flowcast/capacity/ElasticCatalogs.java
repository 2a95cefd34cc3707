package dev.flowcast.capacity;

import dev.flowcast.resources.PriceCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.DefaultResourceLoader;

/** Price catalogs with elastic pools, written to a file as an operator would. */
final class ElasticCatalogs {

  /** A fixed on-demand pool and an elastic spot pool of 2-vCPU units, 0 to 8 of them, ready 3 minutes after asked. */
  static final String SPOT_ELASTIC = """
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
          capacity: {vcpu: 16, memory-mb: 65536, network-mbps: 10000, disk-iops: 20000}
          elasticity:
            unit: {vcpu: 2, memory-mb: 8192}
            min-units: 0
            max-units: 8
            lead-time: PT3M
            billing-minimum: PT60S
            scale-in-delay: PT5M
      """;

  private ElasticCatalogs() {}

  static Path write(Path folder, String text) {
    try {
      return Files.writeString(folder.resolve("prices.yml"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PriceCatalog catalog(Path folder, String text) {
    Path file = write(folder, text);
    return new PriceCatalog(new DefaultResourceLoader(), "file:" + file, "classpath:config/prices.yml");
  }
}
