package dev.flowcast;

import dev.flowcast.cli.FlowcastCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The runnable Flowcast application: an embedded Camunda 7 engine with the Flowcast plugin; or,
 * with {@code evaluate}, {@code evaluate-demand}, {@code import} or {@code train} first, a command
 * that runs without them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FlowcastApplication {

  public static void main(String[] args) {
    if (FlowcastCommands.handles(args)) {
      System.exit(FlowcastCommands.run(args));
    }
    SpringApplication.run(FlowcastApplication.class, args);
  }
}
