package dev.flowcast.resources;

import java.time.Instant;

/**
 * Tells the composer how much capacity each pool will have free and what it costs. Declare a bean
 * of this type to replace the default.
 */
public interface ResourceMonitor {

  ResourceProfile profile(Instant at);
}
