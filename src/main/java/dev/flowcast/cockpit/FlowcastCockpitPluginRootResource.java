package dev.flowcast.cockpit;

import jakarta.ws.rs.Path;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginRootResource;

/** Serves the plugin's assets ({@code app/plugin.js}) under Cockpit's plugin API; it has no data resources. */
@Path("plugin/" + FlowcastCockpitPlugin.ID)
public class FlowcastCockpitPluginRootResource extends AbstractCockpitPluginRootResource {

  public FlowcastCockpitPluginRootResource() {
    super(FlowcastCockpitPlugin.ID);
  }
}
