package dev.flowcast;

import dev.flowcast.cli.FlowcastCommands;
import dev.flowcast.demo.DemoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The runnable Flowcast application: an embedded Camunda 7 engine with the Flowcast plugin; or,
 * with {@code evaluate}, {@code evaluate-demand}, {@code import} or {@code train} first, a command
 * that runs without them.
 *
 * <p>Flowcast itself comes in through its auto-configuration, as it does in any Camunda
 * application; this application adds the example domain (profile {@code demo}) and the demo's
 * fault injection endpoint, and scans nothing else.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackageClasses = DemoConfiguration.class)
@ComponentScan(basePackages = "dev.flowcast.api", useDefaultFilters = false,
    includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.flowcast\\.api\\.DemoFaultController"))
public class FlowcastApplication {

  public static void main(String[] args) {
    if (FlowcastCommands.handles(args)) {
      System.exit(FlowcastCommands.run(args));
    }
    SpringApplication.run(FlowcastApplication.class, args);
  }
}
