package dev.flowcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The runnable Flowcast application: an embedded Camunda 7 engine with the Flowcast plugin. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FlowcastApplication {

  public static void main(String[] args) {
    SpringApplication.run(FlowcastApplication.class, args);
  }
}
