package dev.flowcast.resources;

import dev.flowcast.resources.PriceCatalogParser.InvalidCatalogException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The pools, their limits and prices, from a YAML file ({@code flowcast.resources.prices}),
 * reloaded when the file changes. A malformed file is refused with its line and reason and the
 * last good catalog stays in force; at start-up, a malformed file stops the start.
 */
public class PriceCatalog {

  private static final Logger log = LoggerFactory.getLogger(PriceCatalog.class);

  /** The catalog in force; {@code overridden} names the pools changed at run time since it was read. */
  public record Snapshot(String source, String currency, Map<String, PricedPool> pools, Instant loadedAt,
      java.util.Set<String> overridden) {}

  private final ResourceLoader loader;
  private final String location;
  private final String fallbackLocation;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  /** The file's pools as read, before overrides. */
  private volatile Snapshot fromFile;
  private final PoolOverrides overrides;
  private volatile long loadedModified = -1;
  private volatile String lastProblem;

  /** A catalog whose overrides stay on this node (tests, custom monitors). */
  public PriceCatalog(ResourceLoader loader, String location, String fallbackLocation) {
    this(loader, location, fallbackLocation, null);
  }

  /** @param overrides where overrides are shared with the other nodes, or null to keep them here */
  PriceCatalog(ResourceLoader loader, String location, String fallbackLocation, PoolOverrides overrides) {
    this.overrides = overrides;
    this.loader = loader;
    this.location = location;
    this.fallbackLocation = fallbackLocation;
    Resource resource = resource();
    try {
      load(resource);
    } catch (InvalidCatalogException e) {
      throw new IllegalStateException(
          "FLOWCAST-030 price catalog " + describe(resource) + " refused: " + e.getMessage(), e);
    }
  }

  public Snapshot current() {
    return current.get();
  }

  public Map<String, PricedPool> pools() {
    return current.get().pools();
  }

  /** Why the last reload was refused, or null when the file in force is the newest. */
  public String lastProblem() {
    return lastProblem;
  }

  /** Loads the file again if it changed since it was read; keeps the last good catalog if not valid. */
  public synchronized boolean reloadIfChanged() {
    Resource resource = resource();
    long modified = lastModified(resource);
    if (modified == loadedModified) {
      return false;
    }
    try {
      load(resource);
      lastProblem = null;
      return true;
    } catch (InvalidCatalogException e) {
      loadedModified = modified; // report a broken file once, not on every check
      lastProblem = describe(resource) + " " + e.getMessage();
      log.error("FLOWCAST-031 price catalog {} refused, the previous one stays in force: {}", describe(resource), e.getMessage());
      return false;
    }
  }

  /** Reads the file again, whether it changed or not, dropping run-time overrides. */
  public synchronized void reload() {
    loadedModified = -1;
    reloadIfChanged();
  }

  /**
   * Replaces one existing pool until the file next changes (operators' run-time override), on every
   * node that shares the database: here at once, elsewhere at their next check.
   */
  public synchronized void override(PricedPool pool) {
    Snapshot snapshot = current.get();
    if (!snapshot.pools().containsKey(pool.name())) {
      throw new NoSuchElementException("unknown pool '" + pool.name() + "', known: " + snapshot.pools().keySet());
    }
    if (overrides != null) {
      overrides.put(pool, Instant.now());
    }
    apply(Map.of(pool.name(), pool), snapshot);
  }

  /** Takes in the overrides made on any node (a node's catalog check calls it). */
  public synchronized void refreshOverrides() {
    if (overrides != null && fromFile != null) {
      apply(overrides.all(), fromFile);
    }
  }

  private void apply(Map<String, PricedPool> overriding, Snapshot base) {
    Map<String, PricedPool> pools = new TreeMap<>(base.pools());
    java.util.Set<String> overridden = new java.util.TreeSet<>(base.overridden());
    overriding.forEach((name, pool) -> {
      if (pools.containsKey(name)) {
        pools.put(name, pool);
        overridden.add(name);
      }
    });
    current.set(new Snapshot(base.source(), base.currency(), Map.copyOf(pools), base.loadedAt(),
        java.util.Set.copyOf(overridden)));
  }

  private void load(Resource resource) {
    String text;
    try (InputStream in = resource.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidCatalogException("cannot be read: " + e.getMessage());
    }
    PriceCatalogParser.Parsed parsed = PriceCatalogParser.parse(text);
    Snapshot read = new Snapshot(describe(resource), parsed.currency(), Map.copyOf(new TreeMap<>(parsed.pools())),
        Instant.now(), java.util.Set.of());
    boolean changed = fromFile != null;
    fromFile = read;
    current.set(read);
    if (changed && overrides != null) {
      overrides.clear(); // a new catalog file replaces what operators changed at run time
    }
    loadedModified = lastModified(resource);
    // a mistyped location must not pass for the shipped catalog unnoticed
    String instead = loader.getResource(location).exists() ? "" : ", as " + location + " does not exist";
    log.info("FLOWCAST-032 price catalog {} loaded{}: pools {}", describe(resource), instead, parsed.pools().keySet());
  }

  private Resource resource() {
    Resource primary = loader.getResource(location);
    return primary.exists() ? primary : loader.getResource(fallbackLocation);
  }

  private static long lastModified(Resource resource) {
    try {
      return resource.isFile() ? resource.lastModified() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static String describe(Resource resource) {
    try {
      return resource.isFile() ? resource.getFile().getPath() : resource.getDescription();
    } catch (IOException e) {
      return resource.getDescription();
    }
  }
}
