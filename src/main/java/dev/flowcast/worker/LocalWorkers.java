package dev.flowcast.worker;

import dev.flowcast.capacity.CapacityRequestException;
import dev.flowcast.resources.PriceCatalog;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The workers this application starts for itself when its web server listens
 * ({@code flowcast.workers.local.per-pool} for each pool), through the {@code local-workers}
 * provider, and stops with it.
 */
class LocalWorkers implements ApplicationListener<WebServerInitializedEvent>, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);

  private final LocalWorkersCapacityProvider provider;
  private final PriceCatalog catalog;
  private final WorkerProperties.Local settings;
  private final Clock clock;
  private final String engineRestPath;
  private volatile boolean running;

  LocalWorkers(LocalWorkersCapacityProvider provider, PriceCatalog catalog, WorkerProperties.Local settings,
      Clock clock, String engineRestPath) {
    this.provider = provider;
    this.catalog = catalog;
    this.settings = settings;
    this.clock = clock;
    this.engineRestPath = engineRestPath;
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() != null) {
      return; // the management server's port, not the engine's
    }
    provider.engineRest("http://localhost:" + event.getWebServer().getPort() + engineRestPath);
    if (settings.perPool() == 0) {
      return;
    }
    List<String> pools = settings.pools().isEmpty() ? catalog.pools().keySet().stream().sorted().toList() : settings.pools();
    for (String pool : pools) {
      try {
        provider.runOwn(pool, settings.perPool(), clock.instant());
      } catch (CapacityRequestException e) {
        log.warn("FLOWCAST-352 no local workers for pool {}: {}", pool, e.getMessage());
      }
    }
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    provider.stopAll();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
