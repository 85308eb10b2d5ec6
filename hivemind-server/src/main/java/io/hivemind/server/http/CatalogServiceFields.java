package io.hivemind.server.http;

import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.http.CatalogNodes.Node;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One instance as {@code /v1/catalog/service/{name}} writes it ({@link CatalogJson}'s flat shape:
 * {@code ServiceName}, {@code ServiceTags}, {@code NodeMeta}...), as a map whose fields are read
 * from the entry when a {@code ?filter} selects them. {@code /v1/catalog/services?filter=} tests
 * every instance of the catalogue against it, and reading back a rendered answer of all of them
 * cost 4.4 ms of the HTTP loop per request at 1,000 instances (docs/benchmarks.md, "Filtered
 * lookups"). {@code CatalogServiceFieldsTest} holds it to the JSON {@link CatalogJson} writes.
 */
final class CatalogServiceFields extends AbstractMap<String, Object> {

  /** The fields, in the order {@link CatalogJson} writes them. */
  static final List<String> NAMES =
      List.of(
          "ID",
          "Node",
          "Address",
          "Datacenter",
          "TaggedAddresses",
          "NodeMeta",
          "ServiceID",
          "ServiceName",
          "ServiceTags",
          "ServiceAddress",
          "ServiceWeights",
          "ServiceMeta",
          "ServicePort",
          "ServiceEnableTagOverride",
          "CreateIndex",
          "ModifyIndex");

  private final CatalogEntry entry;
  private final Node node;

  CatalogServiceFields(CatalogEntry entry, Node node) {
    this.entry = entry;
    this.node = node;
  }

  @Override
  public boolean containsKey(Object name) {
    return NAMES.contains(name);
  }

  @Override
  public Object get(Object name) {
    if (!(name instanceof String field)) {
      return null;
    }
    ServiceInstance instance = entry.instance();
    return switch (field) {
      case "ID" -> node.id();
      case "Node" -> node.name();
      case "Address" -> node.address();
      case "Datacenter" -> node.datacenter();
      case "TaggedAddresses" -> node.taggedAddresses().isEmpty() ? null : node.taggedAddresses();
      case "NodeMeta" -> node.meta();
      case "ServiceID" -> instance.id();
      case "ServiceName" -> instance.service();
      case "ServiceTags" -> instance.tags();
      case "ServiceAddress" -> instance.address();
      case "ServiceWeights" ->
          Map.of("Passing", instance.weights().passing(), "Warning", instance.weights().warning());
      case "ServiceMeta" -> instance.meta();
      case "ServicePort" -> instance.port();
      case "ServiceEnableTagOverride" -> false;
      case "CreateIndex" -> entry.createIndex();
      case "ModifyIndex" -> entry.modifyIndex();
      default -> null;
    };
  }

  /** Every field at once: for tests and printing, not the filter's path. */
  @Override
  public Set<Entry<String, Object>> entrySet() {
    Map<String, Object> fields = new LinkedHashMap<>();
    NAMES.forEach(name -> fields.put(name, get(name)));
    return fields.entrySet();
  }
}
