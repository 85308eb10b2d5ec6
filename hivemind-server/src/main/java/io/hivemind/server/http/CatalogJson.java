package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.catalog.PersistentCatalog;
import io.hivemind.server.http.CatalogNodes.Node;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The JSON of the catalogue's endpoints in Consul's shapes, field names as Consul's Go structs
 * serialise them ({@code ServiceID}, {@code TaggedAddresses}, {@code CreateIndex}); written like
 * {@link ApiJson}. hivemind-api's {@code AgentService}, {@code CatalogService}, {@code HealthCheck}
 * and {@code ServiceEntry} document each field; the client reads the same shapes.
 */
final class CatalogJson {

  private CatalogJson() {}

  /** {@code /v1/catalog/services}: {@code {"name": ["tag", ...]}}. */
  static byte[] serviceTags(SortedMap<String, SortedSet<String>> services) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          for (Map.Entry<String, SortedSet<String>> service : services.entrySet()) {
            json.writeFieldName(service.getKey());
            ApiJson.strings(json, List.copyOf(service.getValue()));
          }
          json.writeEndObject();
        });
  }

  /** {@code /v1/catalog/service/{name}}: one flat object per instance. */
  static byte[] catalogServices(List<CatalogEntry> entries, CatalogNodes.Lookup nodes) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (CatalogEntry entry : entries) {
            catalogService(json, entry, nodes.node(entry.instance().owner()));
          }
          json.writeEndArray();
        });
  }

  /** One instance in {@link #catalogServices}' shape. */
  static byte[] catalogService(CatalogEntry entry, Node node) {
    return ApiJson.write(json -> catalogService(json, entry, node));
  }

  /**
   * {@code /v1/catalog/node/{node}}: {@code {"Node": {...}, "Services": {"id": {...}}}}, the node's
   * instances in the agent service shape.
   */
  static byte[] nodeServices(Node node, List<CatalogEntry> entries) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeFieldName("Node");
          node(json, node);
          json.writeFieldName("Services");
          json.writeStartObject();
          for (CatalogEntry entry : entries) {
            json.writeFieldName(entry.instance().id());
            agentService(json, entry, node.datacenter());
          }
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  /** {@code /v1/health/service/{name}}: {@code {"Node", "Service", "Checks"}} per instance. */
  static byte[] serviceEntries(List<CatalogEntry> entries, CatalogNodes.Lookup nodes) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (CatalogEntry entry : entries) {
            Node node = nodes.node(entry.instance().owner());
            json.writeStartObject();
            json.writeFieldName("Node");
            node(json, node);
            json.writeFieldName("Service");
            agentService(json, entry, node.datacenter());
            json.writeFieldName("Checks");
            json.writeStartArray();
            for (CheckStatus check : entry.instance().checks()) {
              healthCheck(json, check, entry, node.name());
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** A check is one of an entry's: {@code /v1/health/checks}, {@code /v1/health/state}. */
  record EntryCheck(CatalogEntry entry, CheckStatus check) {}

  /**
   * A JSON array of checks: {@code nodeChecks} (of the node named {@code nodeName}, from its own
   * agent) first, then the entries' checks, each node check once per node (every instance of a node
   * carries its node's checks).
   */
  static byte[] healthChecks(
      List<CheckStatus> nodeChecks,
      String nodeName,
      List<EntryCheck> checks,
      CatalogNodes.Lookup nodes) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          Set<String> written = new HashSet<>();
          for (CheckStatus check : nodeChecks) {
            written.add(nodeName + '\0' + check.checkId());
            nodeCheck(json, check, nodeName);
          }
          for (EntryCheck check : checks) {
            String node = nodes.node(check.entry().instance().owner()).name();
            if (!check.check().node() || written.add(node + '\0' + check.check().checkId())) {
              healthCheck(json, check.check(), check.entry(), node);
            }
          }
          json.writeEndArray();
        });
  }

  /** A JSON array of the entries' checks, node checks once per node. */
  static byte[] healthChecks(List<EntryCheck> checks, CatalogNodes.Lookup nodes) {
    return healthChecks(List.of(), "", checks, nodes);
  }

  /**
   * {@code /v1/agent/checks}: {@code {"checkId": {...}}}, the node's checks first (from the agent,
   * so they show before any instance carries them), then its instances'.
   */
  static byte[] checksById(List<CheckStatus> nodeChecks, List<EntryCheck> checks, String node) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          for (CheckStatus check : nodeChecks) {
            json.writeFieldName(check.checkId());
            nodeCheck(json, check, node);
          }
          for (EntryCheck check : checks) {
            if (!check.check().node()) {
              json.writeFieldName(check.check().checkId());
              healthCheck(json, check.check(), check.entry(), node);
            }
          }
          json.writeEndObject();
        });
  }

  /** A node check as its agent holds it: no instance, no replica indexes (as Consul's agent). */
  private static void nodeCheck(JsonGenerator json, CheckStatus check, String node)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("Node", node);
    checkFields(json, check);
    json.writeStringField("ServiceID", "");
    json.writeStringField("ServiceName", "");
    json.writeFieldName("ServiceTags");
    ApiJson.strings(json, List.of());
    json.writeStringField("Type", check.kind().name().toLowerCase(Locale.ROOT));
    json.writeNumberField("CreateIndex", 0);
    json.writeNumberField("ModifyIndex", 0);
    json.writeEndObject();
  }

  /**
   * {@code /v1/agent/health/service/...}: {@code {"AggregatedStatus", "Service", "Checks"}} for
   * each entry, as an array ({@code asArray}, by name) or the one object (by id).
   */
  static byte[] agentHealth(
      List<CatalogEntry> entries, String datacenter, String node, boolean asArray) {
    return ApiJson.write(
        json -> {
          if (asArray) {
            json.writeStartArray();
          }
          for (CatalogEntry entry : entries) {
            json.writeStartObject();
            json.writeStringField("AggregatedStatus", AgentHealth.aggregated(entry.instance()));
            json.writeFieldName("Service");
            agentService(json, entry, datacenter);
            json.writeFieldName("Checks");
            json.writeStartArray();
            for (CheckStatus check : entry.instance().checks()) {
              healthCheck(json, check, entry, node);
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          if (asArray) {
            json.writeEndArray();
          }
        });
  }

  /** {@code /v1/agent/services}: {@code {"id": {...}}}. */
  static byte[] servicesById(List<CatalogEntry> entries, String datacenter) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          for (CatalogEntry entry : entries) {
            json.writeFieldName(entry.instance().id());
            agentService(json, entry, datacenter);
          }
          json.writeEndObject();
        });
  }

  /** {@code /v1/agent/service/{id}}. */
  static byte[] service(CatalogEntry entry, String datacenter) {
    return ApiJson.write(json -> agentService(json, entry, datacenter));
  }

  private static void node(JsonGenerator json, Node node) throws IOException {
    json.writeStartObject();
    json.writeStringField("ID", node.id());
    json.writeStringField("Node", node.name());
    json.writeStringField("Address", node.address());
    json.writeStringField("Datacenter", node.datacenter());
    json.writeFieldName("TaggedAddresses");
    ApiJson.taggedAddresses(json, node.taggedAddresses());
    json.writeFieldName("Meta");
    ApiJson.stringMap(json, node.meta());
    json.writeNumberField("CreateIndex", node.createIndex());
    json.writeNumberField("ModifyIndex", node.createIndex());
    json.writeEndObject();
  }

  private static void agentService(JsonGenerator json, CatalogEntry entry, String datacenter)
      throws IOException {
    ServiceInstance instance = entry.instance();
    json.writeStartObject();
    json.writeStringField("ID", instance.id());
    json.writeStringField("Service", instance.service());
    json.writeFieldName("Tags");
    ApiJson.strings(json, instance.tags());
    json.writeFieldName("Meta");
    ApiJson.stringMap(json, instance.meta());
    json.writeNumberField("Port", instance.port());
    json.writeStringField("Address", instance.address());
    json.writeFieldName("Weights");
    weights(json, instance.weights());
    json.writeBooleanField("EnableTagOverride", false);
    json.writeStringField("Datacenter", datacenter);
    json.writeNumberField("CreateIndex", entry.createIndex());
    json.writeNumberField("ModifyIndex", entry.modifyIndex());
    json.writeEndObject();
  }

  private static void catalogService(JsonGenerator json, CatalogEntry entry, Node node)
      throws IOException {
    ServiceInstance instance = entry.instance();
    json.writeStartObject();
    json.writeStringField("ID", node.id());
    json.writeStringField("Node", node.name());
    json.writeStringField("Address", node.address());
    json.writeStringField("Datacenter", node.datacenter());
    json.writeFieldName("TaggedAddresses");
    ApiJson.taggedAddresses(json, node.taggedAddresses());
    json.writeFieldName("NodeMeta");
    ApiJson.stringMap(json, node.meta());
    json.writeStringField("ServiceID", instance.id());
    json.writeStringField("ServiceName", instance.service());
    json.writeFieldName("ServiceTags");
    ApiJson.strings(json, instance.tags());
    json.writeStringField("ServiceAddress", instance.address());
    json.writeFieldName("ServiceWeights");
    weights(json, instance.weights());
    json.writeFieldName("ServiceMeta");
    ApiJson.stringMap(json, instance.meta());
    json.writeNumberField("ServicePort", instance.port());
    json.writeBooleanField("ServiceEnableTagOverride", false);
    json.writeNumberField("CreateIndex", entry.createIndex());
    json.writeNumberField("ModifyIndex", entry.modifyIndex());
    json.writeEndObject();
  }

  private static void healthCheck(
      JsonGenerator json, CheckStatus check, CatalogEntry entry, String node) throws IOException {
    ServiceInstance instance = entry.instance();
    // A node check belongs to no service, though each instance of the node carries it.
    boolean nodeCheck = check.node();
    json.writeStartObject();
    json.writeStringField("Node", node);
    checkFields(json, check);
    json.writeStringField("ServiceID", nodeCheck ? "" : instance.id());
    json.writeStringField("ServiceName", nodeCheck ? "" : instance.service());
    json.writeFieldName("ServiceTags");
    ApiJson.strings(json, nodeCheck ? List.of() : instance.tags());
    // Consul's catalog checks have no type: nothing runs them.
    boolean persistent = instance.session().equals(PersistentCatalog.SESSION);
    json.writeStringField("Type", persistent ? "" : check.kind().name().toLowerCase(Locale.ROOT));
    json.writeNumberField("CreateIndex", entry.createIndex());
    json.writeNumberField("ModifyIndex", entry.modifyIndex());
    json.writeEndObject();
  }

  private static void checkFields(JsonGenerator json, CheckStatus check) throws IOException {
    json.writeStringField("CheckID", check.checkId());
    json.writeStringField("Name", check.name());
    json.writeStringField("Status", check.status().consulName());
    // Consul keeps a maintenance check's reason in its notes and gives it no output.
    boolean maintenance = check.kind() == CheckKind.MAINTENANCE;
    json.writeStringField("Notes", maintenance ? check.output() : "");
    json.writeStringField("Output", maintenance ? "" : check.output());
  }

  private static void weights(JsonGenerator json, Weights weights) throws IOException {
    json.writeStartObject();
    json.writeNumberField("Passing", weights.passing());
    json.writeNumberField("Warning", weights.warning());
    json.writeEndObject();
  }
}
