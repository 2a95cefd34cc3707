package dev.flowcast.demo;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the example domain.
 *
 * @param timeScale how long the demo components take: this times their declared expected duration
 *     (1: as declared; 0: only their real work)
 * @param seedOrders how many demo orders the demo database starts with
 */
@Validated
@ConfigurationProperties("flowcast.demo")
public record DemoProperties(
    @PositiveOrZero @DefaultValue("1.0") double timeScale,
    @Min(0) @DefaultValue("5000") int seedOrders) {}
