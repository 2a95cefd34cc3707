package com.example.helpdesk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A help desk's Camunda application. Flowcast comes in through its auto-configuration. */
@SpringBootApplication
public class HelpDeskApplication {

  public static void main(String[] args) {
    SpringApplication.run(HelpDeskApplication.class, args);
  }
}
