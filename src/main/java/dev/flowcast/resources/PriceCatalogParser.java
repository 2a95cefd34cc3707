package dev.flowcast.resources;

import java.io.StringReader;
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
 * </pre>
 */
final class PriceCatalogParser {

  private static final Set<String> TOP = Set.of("currency", "pools");
  private static final Set<String> POOL =
      Set.of("price-per-vcpu-hour", "price-per-gb-hour", "interruption-rate-per-hour", "capacity");
  private static final Set<String> CAPACITY = Set.of("vcpu", "memory-mb", "network-mbps", "disk-iops");

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
          amount(required(fields, "interruption-rate-per-hour", poolNode, name), "interruption-rate-per-hour")));
    }
    if (pools.isEmpty()) {
      throw new InvalidCatalogException(line(poolsNode) + ": the catalog has no pool");
    }
    return new Parsed(currency, pools);
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
    Node node = fields.get(key);
    if (node == null) {
      throw new InvalidCatalogException(line(parent) + ": pool '" + pool + "' lacks '" + key + "'");
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
