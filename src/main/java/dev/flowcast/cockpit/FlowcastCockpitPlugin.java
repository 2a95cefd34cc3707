package dev.flowcast.cockpit;

import java.util.Set;
import org.camunda.bpm.cockpit.plugin.spi.impl.AbstractCockpitPlugin;

/**
 * Flowcast in Cockpit, through Cockpit's own plugin mechanism: named in
 * {@code META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin}, found by the webapp
 * with the ServiceLoader, its front end at {@code plugin-webapp/flowcast/app/plugin.js} (the
 * default asset directory) served by Cockpit at {@code api/cockpit/plugin/flowcast/static/app/plugin.js}
 * and loaded by Cockpit beside the application's own {@code config.js} and its custom scripts,
 * which stay untouched. The front end reads Flowcast's REST API with the Cockpit session.
 */
public class FlowcastCockpitPlugin extends AbstractCockpitPlugin {

  /** The plugin's id: its asset directory and its path under Cockpit's plugin API. */
  public static final String ID = "flowcast";

  @Override
  public String getId() {
    return ID;
  }

  /** The root resource Cockpit serves the plugin's assets through; the data comes from Flowcast's own API. */
  @Override
  public Set<Class<?>> getResourceClasses() {
    return Set.of(FlowcastCockpitPluginRootResource.class);
  }
}
