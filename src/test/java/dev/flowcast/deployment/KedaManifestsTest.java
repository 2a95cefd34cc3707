package dev.flowcast.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The KEDA objects in docker/kubernetes/ against KEDA's own CustomResourceDefinitions (their
 * OpenAPI schemas, as the API server checks them on apply), and the elastic pools' ScaledObjects
 * against the endpoint they read.
 */
class KedaManifestsTest {

  private static final Path KUBERNETES = Path.of("docker/kubernetes");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CRDS = Map.of(
      "ScaledObject", "keda/keda.sh_scaledobjects.yaml",
      "TriggerAuthentication", "keda/keda.sh_triggerauthentications.yaml");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"keda-elastic-pools.yaml", "keda-scaledobject.yaml"})
  void shouldBeValidAgainstKedasSchemas(String file) throws IOException {
    List<JsonNode> kedaObjects = documents(KUBERNETES.resolve(file)).stream()
        .filter(d -> d.path("apiVersion").asText().startsWith("keda.sh/")).toList();

    assertThat(kedaObjects).isNotEmpty();
    for (JsonNode object : kedaObjects) {
      assertThat(problems(object)).as(object.path("kind").asText() + " " + object.at("/metadata/name").asText())
          .isEmpty();
    }
  }

  @Test
  void shouldRefuseWhatKedasSchemaRefuses() {
    JsonNode broken = JSON.valueToTree(Map.of("apiVersion", "keda.sh/v1alpha1", "kind", "ScaledObject",
        "metadata", Map.of("name", "broken"),
        "spec", Map.of("minReplicaCount", "none", "triggers", List.of(Map.of("metadata", Map.of())))));

    assertThat(problems(broken)).as("scaleTargetRef missing, a count that is not a number, a trigger without type")
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void shouldScaleEachElasticPoolsDeploymentToTheUnitsThePlannerWants() throws IOException {
    List<JsonNode> scaledObjects = documents(KUBERNETES.resolve("keda-elastic-pools.yaml")).stream()
        .filter(d -> d.path("kind").asText().equals("ScaledObject")).toList();

    assertThat(scaledObjects).extracting(o -> o.at("/spec/scaleTargetRef/name").asText())
        .containsExactlyInAnyOrder("flowcast-spot", "flowcast-on-demand");
    for (JsonNode object : scaledObjects) {
      String pool = object.at("/spec/scaleTargetRef/name").asText().substring("flowcast-".length());
      JsonNode trigger = object.at("/spec/triggers/0");
      assertThat(trigger.path("type").asText()).isEqualTo("metrics-api");
      assertThat(trigger.path("metricType").asText()).as("replicas = value / 1").isEqualTo("AverageValue");
      assertThat(trigger.at("/metadata/targetValue").asText()).isEqualTo("1");
      assertThat(trigger.at("/metadata/url").asText()).endsWith("/flowcast/api/capacity/pools");
      assertThat(trigger.at("/metadata/valueLocation").asText()).isEqualTo("pools." + pool + ".desiredUnits");
      assertThat(trigger.at("/authenticationRef/name").asText()).isEqualTo("flowcast-api");
    }
  }

  private static Set<String> problems(JsonNode object) {
    String crd = CRDS.get(object.path("kind").asText());
    assertThat(crd).as("a KEDA kind with a known schema").isNotNull();
    JsonNode schema = schemaOf(crd);
    JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    return validator.validate(object).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
  }

  /** The served version's openAPIV3Schema of a CRD. */
  private static JsonNode schemaOf(String crd) {
    try (InputStream in = KedaManifestsTest.class.getClassLoader().getResourceAsStream(crd)) {
      JsonNode definition = JSON.valueToTree(new Yaml().load(in));
      for (JsonNode version : definition.at("/spec/versions")) {
        if (version.path("served").asBoolean()) {
          return version.at("/schema/openAPIV3Schema");
        }
      }
      throw new AssertionError(crd + " serves no version");
    } catch (IOException e) {
      throw new AssertionError(crd + " cannot be read", e);
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (Object document : new Yaml().loadAll(Files.readString(file))) {
      if (document != null) {
        documents.add(JSON.valueToTree(document));
      }
    }
    return documents;
  }
}
