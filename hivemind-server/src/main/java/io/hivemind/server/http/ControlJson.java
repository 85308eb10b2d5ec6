package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.ExternalNodeEntry;
import io.hivemind.core.control.KvEntry;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlStatus;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the control plane's endpoints, in Consul's shapes where Consul has one (KV pairs,
 * user events, catalog nodes, the Raft configuration), written like {@link ApiJson}. The records of
 * hivemind-api ({@code KvPair}, {@code UserEvent}, {@code CatalogNode}, {@code RaftConfiguration},
 * {@code ControlPlaneStatus}) document each field; the client reads the same shapes.
 */
final class ControlJson {

  /** Consul's Raft protocol version, which its tools expect in the configuration. */
  static final String RAFT_PROTOCOL_VERSION = "3";

  private ControlJson() {}

  /** A JSON string: {@code /v1/status/leader}. */
  static byte[] string(String value) {
    return ApiJson.write(json -> json.writeString(value));
  }

  /** A JSON array of strings: {@code /v1/status/peers}, {@code /v1/kv/?keys}. */
  static byte[] strings(List<String> values) {
    return ApiJson.write(json -> ApiJson.strings(json, values));
  }

  /** {@code true} or {@code false}: the answer to a KV write or delete. */
  static byte[] bool(boolean value) {
    return ApiJson.write(json -> json.writeBoolean(value));
  }

  /** {@code {"Success": true}}: Consul's answer to a leadership transfer. */
  static byte[] success() {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeBooleanField("Success", true);
          json.writeEndObject();
        });
  }

  static byte[] kvPairs(List<KvEntry> entries) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (KvEntry entry : entries) {
            kvPair(json, entry);
          }
          json.writeEndArray();
        });
  }

  /** A transaction's answer in Consul's shape: each result an object holding its entry. */
  static byte[] txnResults(List<KvEntry> entries) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("Results");
          for (KvEntry entry : entries) {
            json.writeStartObject();
            json.writeFieldName("KV");
            kvPair(json, entry);
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeNullField("Errors");
          json.writeEndObject();
        });
  }

  /** A failed transaction's answer in Consul's shape: the operation that failed, and why. */
  static byte[] txnErrors(int operation, String what) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeNullField("Results");
          json.writeArrayFieldStart("Errors");
          json.writeStartObject();
          json.writeNumberField("OpIndex", operation);
          json.writeStringField("What", what);
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /**
   * Events in Consul's user-event shape, and with {@code detail} Hivemind's fields too ({@code
   * Index}, {@code Epoch}, {@code Subject}, {@code TimeMillis}). Consul's own endpoints answer its
   * exact shape unless asked: strict clients (kiwiproject's consul-client) refuse a field they do
   * not know.
   */
  static byte[] events(List<ControlEvent> events, boolean detail) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          writeEvents(json, events, detail);
          json.writeEndArray();
        });
  }

  /**
   * One event, with its position among the events of its entry (for its unique ID); {@code detail}
   * as in {@link #events}.
   */
  static byte[] event(ControlEvent event, int position, boolean detail) {
    return ApiJson.write(json -> event(json, event, position, detail));
  }

  static byte[] catalogNodes(ControlView view) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (ControlMember member : view.members()) {
            catalogNode(json, member, view.cluster());
          }
          // Persistent nodes (PUT /v1/catalog/register) after the agents, by name.
          for (ExternalNodeEntry node : view.external().nodes().values()) {
            externalNode(json, node, view.cluster());
          }
          json.writeEndArray();
        });
  }

  static byte[] raftConfiguration(ControlStatus status) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeFieldName("Servers");
          servers(json, status.peers());
          json.writeNumberField("Index", status.commitIndex());
          json.writeEndObject();
        });
  }

  static byte[] status(ControlStatus status, ControlView view) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeBooleanField("Degraded", status.degraded());
          json.writeStringField("Leader", status.leaderAddress());
          json.writeNumberField("Term", status.term());
          json.writeNumberField("CommitIndex", status.commitIndex());
          json.writeNumberField("AppliedIndex", status.appliedIndex());
          json.writeNumberField("Epoch", view.epoch());
          json.writeStringField("Cluster", view.cluster());
          json.writeNumberField("Members", view.members().size());
          json.writeFieldName("Peers");
          servers(json, status.peers());
          json.writeEndObject();
        });
  }

  private static void kvPair(JsonGenerator json, KvEntry entry) throws IOException {
    json.writeStartObject();
    json.writeNumberField("LockIndex", entry.lockIndex());
    json.writeStringField("Key", entry.key());
    json.writeNumberField("Flags", entry.flags());
    json.writeStringField("Value", base64OrNull(entry.value()));
    if (entry.locked()) {
      json.writeStringField("Session", entry.session());
    }
    json.writeNumberField("CreateIndex", entry.createIndex());
    json.writeNumberField("ModifyIndex", entry.modifyIndex());
    json.writeEndObject();
  }

  /** The events in order, each with its position among those of the same entry. */
  private static void writeEvents(JsonGenerator json, List<ControlEvent> events, boolean detail)
      throws IOException {
    long index = -1;
    int position = 0;
    for (ControlEvent event : events) {
      position = event.index() == index ? position + 1 : 0;
      index = event.index();
      event(json, event, position, detail);
    }
  }

  private static void event(JsonGenerator json, ControlEvent event, int position, boolean detail)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("ID", event.index() + "-" + position);
    json.writeStringField("Name", event.type());
    json.writeStringField("Payload", base64OrNull(event.payload()));
    json.writeStringField("NodeFilter", "");
    json.writeStringField("ServiceFilter", "");
    json.writeStringField("TagFilter", "");
    json.writeNumberField("Version", 1);
    json.writeNumberField("LTime", event.index());
    if (detail) {
      json.writeNumberField("Index", event.index());
      json.writeNumberField("Epoch", event.epoch());
      json.writeStringField("Subject", event.subject());
      json.writeNumberField("TimeMillis", event.timeMillis());
    }
    json.writeEndObject();
  }

  private static void catalogNode(JsonGenerator json, ControlMember member, String cluster)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("ID", member.id());
    json.writeStringField("Node", member.name());
    json.writeStringField("Address", member.address().host());
    json.writeStringField("Datacenter", cluster);
    json.writeFieldName("TaggedAddresses");
    ApiJson.stringMap(json, CatalogNodes.tagged(member.address().host(), member.address().port()));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("roles", String.join(",", member.roles()));
    meta.put("zone", member.zone());
    meta.put("host", member.host());
    meta.put("admitted_epoch", Long.toString(member.admittedEpoch()));
    json.writeFieldName("Meta");
    ApiJson.stringMap(json, meta);
    json.writeNumberField("CreateIndex", member.admittedIndex());
    json.writeNumberField("ModifyIndex", member.admittedIndex());
    json.writeEndObject();
  }

  /** A persistent node: Consul gives an external node no ID unless registered with one. */
  private static void externalNode(JsonGenerator json, ExternalNodeEntry entry, String cluster)
      throws IOException {
    ExternalNode node = entry.node();
    json.writeStartObject();
    json.writeStringField("ID", "");
    json.writeStringField("Node", node.name());
    json.writeStringField("Address", node.address());
    json.writeStringField("Datacenter", cluster);
    json.writeFieldName("TaggedAddresses");
    ApiJson.taggedAddresses(json, node.taggedAddresses());
    json.writeFieldName("Meta");
    ApiJson.stringMap(json, node.meta());
    json.writeNumberField("CreateIndex", entry.createIndex());
    json.writeNumberField("ModifyIndex", entry.modifyIndex());
    json.writeEndObject();
  }

  private static void servers(JsonGenerator json, List<ControlPeer> peers) throws IOException {
    json.writeStartArray();
    for (ControlPeer peer : peers) {
      json.writeStartObject();
      json.writeStringField("ID", peer.id());
      json.writeStringField("Node", peer.id());
      json.writeStringField("Address", peer.address());
      json.writeBooleanField("Leader", peer.leader());
      json.writeBooleanField("Voter", peer.voter());
      json.writeStringField("ProtocolVersion", RAFT_PROTOCOL_VERSION);
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Consul writes an empty value as null, any other as base64. */
  private static String base64OrNull(byte[] bytes) {
    return bytes.length == 0 ? null : Base64.getEncoder().encodeToString(bytes);
  }
}
