package dev.flowcast.config;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Flowcast's own schema ({@code flowcast.schema.*}), migrated by a Flyway of its own, apart from
 * the application's {@code spring.flyway.*}. Its own settings rather than a part of
 * {@link FlowcastProperties}: the command line migrates the database without the rest of Flowcast.
 *
 * @param locations where Flowcast's migrations are; an application that keeps tables of its own in
 *     Flowcast's history (the demo does) adds its location here, numbered from V100
 * @param outOfOrder whether a Flowcast migration numbered below one already applied still applies
 *     (on when the list holds such an application's location)
 */
@Validated
@ConfigurationProperties("flowcast.schema")
public record SchemaProperties(
    @NotEmpty @DefaultValue(FlowcastSchema.LOCATION) List<String> locations,
    @DefaultValue("false") boolean outOfOrder) {

  public SchemaProperties {
    locations = List.copyOf(locations);
  }
}
