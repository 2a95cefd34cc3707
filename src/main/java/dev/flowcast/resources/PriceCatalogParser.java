package dev.flowcast.resources;

import java.io.StringReader;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a price catalog (YAML) strictly, and says on which line what is wrong:
 *
 * <pre>
 * pools:
 *   spot:
 *     price-per-vcpu-hour: 0.012
 *     price-per-gb-hour: 0.0013
 *     interruption-rate-per-hour: 0.05
 *     capacity: {vcpu: 32, memory-mb: 131072, network-mbps: 10000, disk-iops: 20000}
 *     elasticity:            # optional: without it the pool is fixed
 *       unit: {vcpu: 2, memory-mb: 4096}
 *       max-units: 16
 *       lead-time: PT3M
 * </pre>
 */
final class PriceCatalogParser {

  private static final Set<String> TOP = Set.of("currency", "pools");
  private static final Set<String> POOL =
      Set.of("price-per-vcpu-hour", "price-per-gb-hour", "interruption-rate-per-hour", "capacity", "elasticity");
  private static final Set<String> CAPACITY = Set.of("vcpu", "memory-mb", "network-mbps", "disk-iops");
  private static final Set<String> ELASTICITY = Set.of("unit", "min-units", "max-units", "lead-time",
      "lead-time-jitter", "billing-minimum", "scale-in-delay", "refusal-rate", "interruption-notice");
  private static final Set<String> UNIT = Set.of("vcpu", "memory-mb", "network-mbps", "disk-iops");

  /** What is wrong with a catalog, and where. */
  static final class InvalidCatalogException extends RuntimeException {
    InvalidCatalogException(String message) {
      super(message);
    }
  }

  /** A parsed catalog: its pools by name and the currency of its prices. */
  record Parsed(String currency, Map<String, PricedPool> pools) {}

  private PriceCatalogParser() {}

  static Parsed parse(String text) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new InvalidCatalogException(
          "line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      // refused before it is built, e.g. aliases that would expand a small file into a huge one
      throw new InvalidCatalogException("line 1: not accepted as YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new InvalidCatalogException("line 1: the catalog is empty");
    }
    Map<String, Node> top = mapping(root, "the catalog", TOP);
    String currency = top.containsKey("currency") ? scalar(top.get("currency"), "currency") : "USD";
    Node poolsNode = top.get("pools");
    if (poolsNode == null) {
      throw new InvalidCatalogException(line(root) + ": 'pools' is missing");
    }
    Map<String, PricedPool> pools = new LinkedHashMap<>();
    for (NodeTuple entry : mappingNode(poolsNode, "pools").getValue()) {
      String name = scalar(entry.getKeyNode(), "pool name");
      if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new InvalidCatalogException(line(entry.getKeyNode()) + ": pool name '" + name
            + "' must be lower-case letters, digits and '-'");
      }
      if (pools.containsKey(name)) {
        throw new InvalidCatalogException(line(entry.getKeyNode()) + ": pool '" + name + "' is defined twice");
      }
      Node poolNode = entry.getValueNode();
      Map<String, Node> fields = mapping(poolNode, "pool '" + name + "'", POOL);
      Map<String, Node> capacity = mapping(required(fields, "capacity", poolNode, name), "capacity of '" + name + "'", CAPACITY);
      Node capacityNode = fields.get("capacity");
      pools.put(name, new PricedPool(
          name,
          new ResourceDemand(
              amount(required(capacity, "vcpu", capacityNode, name), "vcpu"),
              amount(required(capacity, "memory-mb", capacityNode, name), "memory-mb"),
              amount(required(capacity, "network-mbps", capacityNode, name), "network-mbps"),
              amount(required(capacity, "disk-iops", capacityNode, name), "disk-iops")),
          amount(required(fields, "price-per-vcpu-hour", poolNode, name), "price-per-vcpu-hour"),
          amount(required(fields, "price-per-gb-hour", poolNode, name), "price-per-gb-hour"),
          amount(required(fields, "interruption-rate-per-hour", poolNode, name), "interruption-rate-per-hour"),
          fields.containsKey("elasticity") ? elasticity(fields.get("elasticity"), name) : null));
    }
    if (pools.isEmpty()) {
      throw new InvalidCatalogException(line(poolsNode) + ": the catalog has no pool");
    }
    return new Parsed(currency, pools);
  }

  /** An elastic pool's sizing: unit and max-units required, the rest defaulted. */
  private static Elasticity elasticity(Node node, String pool) {
    String where = "elasticity of '" + pool + "'";
    Map<String, Node> fields = mapping(node, where, ELASTICITY);
    Node unitNode = required(fields, "unit", node, pool, "elasticity.");
    Map<String, Node> unit = mapping(unitNode, "unit of '" + pool + "'", UNIT);
    ResourceDemand unitDemand = new ResourceDemand(
        amount(required(unit, "vcpu", unitNode, pool, "elasticity.unit."), "elasticity.unit.vcpu"),
        amount(required(unit, "memory-mb", unitNode, pool, "elasticity.unit."), "elasticity.unit.memory-mb"),
        unit.containsKey("network-mbps") ? amount(unit.get("network-mbps"), "elasticity.unit.network-mbps") : 0,
        unit.containsKey("disk-iops") ? amount(unit.get("disk-iops"), "elasticity.unit.disk-iops") : 0);
    if (unitDemand.vcpu() <= 0) {
      throw new InvalidCatalogException(line(unit.get("vcpu")) + ": elasticity.unit.vcpu of '" + pool
          + "' must be more than 0");
    }
    int min = fields.containsKey("min-units") ? units(fields.get("min-units"), "elasticity.min-units") : Elasticity.DEFAULT_MIN_UNITS;
    int max = units(required(fields, "max-units", node, pool, "elasticity."), "elasticity.max-units");
    if (min > max) {
      throw new InvalidCatalogException(line(fields.get("max-units")) + ": elasticity.max-units of '" + pool
          + "' (" + max + ") must be at least min-units (" + min + ")");
    }
    Duration leadTime = duration(fields, "lead-time", Elasticity.DEFAULT_LEAD_TIME, true);
    Duration jitter = duration(fields, "lead-time-jitter", Elasticity.DEFAULT_LEAD_TIME_JITTER, false);
    Duration billing = duration(fields, "billing-minimum", Elasticity.DEFAULT_BILLING_MINIMUM, false);
    Duration scaleIn = duration(fields, "scale-in-delay", Elasticity.DEFAULT_SCALE_IN_DELAY, false);
    Duration notice = duration(fields, "interruption-notice", Elasticity.DEFAULT_INTERRUPTION_NOTICE, false);
    double refusal = Elasticity.DEFAULT_REFUSAL_RATE;
    if (fields.containsKey("refusal-rate")) {
      refusal = amount(fields.get("refusal-rate"), "elasticity.refusal-rate");
      if (refusal > 1) {
        throw new InvalidCatalogException(line(fields.get("refusal-rate"))
            + ": elasticity.refusal-rate is a share between 0 and 1, not " + scalar(fields.get("refusal-rate"), "refusal-rate"));
      }
    }
    return new Elasticity(unitDemand, min, max, leadTime, jitter, billing, scaleIn, refusal, notice);
  }

  private static int units(Node node, String key) {
    String text = scalar(node, key);
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below, in the catalog's words
    }
    throw new InvalidCatalogException(line(node) + ": " + key + " must be a whole number, zero or more, not '" + text + "'");
  }

  /** An ISO-8601 duration such as PT90S; lead times must be positive, the others zero or more. */
  private static Duration duration(Map<String, Node> fields, String key, Duration fallback, boolean positive) {
    Node node = fields.get(key);
    if (node == null) {
      return fallback;
    }
    String text = scalar(node, key);
    Duration value;
    try {
      value = Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidCatalogException(line(node) + ": elasticity." + key + " must be a duration such as PT90S, not '"
          + text + "'");
    }
    if (value.isNegative() || (positive && value.isZero())) {
      throw new InvalidCatalogException(line(node) + ": elasticity." + key + " must be "
          + (positive ? "more than zero" : "zero or more") + ", not " + text);
    }
    return value;
  }

  private static Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mappingNode(node, what).getValue()) {
      String key = scalar(tuple.getKeyNode(), "key");
      if (!allowed.contains(key)) {
        throw new InvalidCatalogException(line(tuple.getKeyNode()) + ": unknown key '" + key + "' in " + what
            + "; expected " + allowed);
      }
      fields.put(key, tuple.getValueNode());
    }
    return fields;
  }

  private static MappingNode mappingNode(Node node, String what) {
    if (node instanceof MappingNode mapping) {
      return mapping;
    }
    throw new InvalidCatalogException(line(node) + ": " + what + " must be a mapping of keys to values");
  }

  private static Node required(Map<String, Node> fields, String key, Node parent, String pool) {
    return required(fields, key, parent, pool, "");
  }

  private static Node required(Map<String, Node> fields, String key, Node parent, String pool, String prefix) {
    Node node = fields.get(key);
    if (node == null) {
      throw new InvalidCatalogException(line(parent) + ": pool '" + pool + "' lacks '" + prefix + key + "'");
    }
    return node;
  }

  private static String scalar(Node node, String what) {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw new InvalidCatalogException(line(node) + ": " + what + " must be a single value");
  }

  private static double amount(Node node, String key) {
    String text = scalar(node, key);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InvalidCatalogException(line(node) + ": " + key + " must be a number, not '" + text + "'");
    }
    if (value < 0 || !Double.isFinite(value)) {
      throw new InvalidCatalogException(line(node) + ": " + key + " must be zero or positive, not " + text);
    }
    return value;
  }

  private static String line(Node node) {
    return "line " + (node.getStartMark().getLine() + 1);
  }
}
