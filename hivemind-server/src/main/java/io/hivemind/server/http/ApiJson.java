package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.api.AgentConfig;
import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.AgentStats;
import io.hivemind.server.agreement.ControlMembershipBridge.AdmissionStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON form of the hivemind-api records, written with Jackson's streaming generator: names in
 * UpperCamelCase as Consul writes them, enums in lower case, map entries sorted so that answers are
 * stable. The client's {@code HivemindJson} reads the same shapes.
 *
 * <p>Why not data binding: an agent pays for every class it loads, and binding loads about 440 of
 * them (4 MB of resident memory) on the first call; these few flat shapes need none of it
 * (docs/adr/0002-http-server-netty.md).
 */
final class ApiJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private ApiJson() {}

  /** {@code [member, ...]} in the given order. */
  static byte[] members(List<AgentMember> members) {
    return write(
        json -> {
          json.writeStartArray();
          for (AgentMember member : members) {
            member(json, member);
          }
          json.writeEndArray();
        });
  }

  /** {@code {"Config": ..., "Member": ..., "Stats": ...}}. */
  static byte[] self(AgentSelf self) {
    return self(self, Optional.empty());
  }

  /**
   * {@code {"Config": ..., "Member": ..., "Stats": ..., "Control": ...}}: {@code Control} is the
   * agent's admission ({@code {"Admission": "waiting_for_roles", "MemberId": ..., "Detail": ...}}),
   * left out when the agent has none.
   */
  static byte[] self(AgentSelf self, Optional<AdmissionStatus> admission) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeFieldName("Config");
          config(json, self.config());
          json.writeFieldName("Member");
          member(json, self.member());
          json.writeFieldName("Stats");
          stats(json, self.stats());
          if (admission.isPresent()) {
            json.writeFieldName("Control");
            admission(json, admission.get());
          }
          json.writeEndObject();
        });
  }

  private static void admission(JsonGenerator json, AdmissionStatus status) throws IOException {
    json.writeStartObject();
    json.writeStringField("Admission", status.admission().name().toLowerCase(Locale.ROOT));
    json.writeStringField("MemberId", status.memberId());
    json.writeStringField("Detail", status.detail());
    json.writeEndObject();
  }

  /** {@code {"error": ..., "message": ...}}: the error shape keeps Consul's lower-case names. */
  static byte[] error(String code, String message) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("error", code);
          json.writeStringField("message", message);
          json.writeEndObject();
        });
  }

  private static void member(JsonGenerator json, AgentMember member) throws IOException {
    json.writeStartObject();
    json.writeStringField("Name", member.name());
    json.writeStringField("Addr", member.addr());
    json.writeNumberField("Port", member.port());
    json.writeFieldName("Tags");
    stringMap(json, member.tags());
    json.writeNumberField("Status", member.status());
    json.writeNumberField("ProtocolMin", member.protocolMin());
    json.writeNumberField("ProtocolMax", member.protocolMax());
    json.writeNumberField("ProtocolCur", member.protocolCur());
    json.writeNumberField("DelegateMin", member.delegateMin());
    json.writeNumberField("DelegateMax", member.delegateMax());
    json.writeNumberField("DelegateCur", member.delegateCur());
    json.writeStringField("State", member.state().name().toLowerCase(Locale.ROOT));
    json.writeNumberField("Incarnation", member.incarnation());
    json.writeFieldName("Roles");
    strings(json, member.roles());
    json.writeStringField("Zone", member.zone());
    json.writeStringField("Environment", member.environment().id());
    json.writeEndObject();
  }

  private static void config(JsonGenerator json, AgentConfig config) throws IOException {
    json.writeStartObject();
    json.writeStringField("NodeName", config.nodeName());
    json.writeStringField("Datacenter", config.datacenter());
    json.writeStringField("Version", config.version());
    // Consul's Config has these two, and strict clients (kiwiproject's consul-client) require them.
    json.writeStringField("Revision", config.revision());
    json.writeBooleanField("Server", config.server());
    json.writeStringField("Environment", config.environment().id());
    json.writeFieldName("Roles");
    strings(json, config.roles());
    json.writeStringField("Zone", config.zone());
    json.writeEndObject();
  }

  private static void stats(JsonGenerator json, AgentStats stats) throws IOException {
    json.writeStartObject();
    json.writeNumberField("Members", stats.members());
    json.writeNumberField("Alive", stats.alive());
    json.writeNumberField("Suspect", stats.suspect());
    json.writeNumberField("Dead", stats.dead());
    json.writeNumberField("Left", stats.left());
    json.writeFieldName("Counters");
    json.writeStartObject();
    for (Map.Entry<String, Long> counter : new TreeMap<>(stats.counters()).entrySet()) {
      json.writeNumberField(counter.getKey(), counter.getValue());
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  static void stringMap(JsonGenerator json, Map<String, String> map) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }

  /**
   * A node's {@code TaggedAddresses}: as {@link #stringMap}, or {@code null} when it has none, as
   * Consul writes a node registered without any (a strict client reads an empty object as a tagged
   * address set missing its {@code wan}).
   */
  static void taggedAddresses(JsonGenerator json, Map<String, String> addresses)
      throws IOException {
    if (addresses.isEmpty()) {
      json.writeNull();
    } else {
      stringMap(json, addresses);
    }
  }

  static void strings(JsonGenerator json, List<String> values) throws IOException {
    json.writeStartArray();
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  @FunctionalInterface
  interface Body {
    void writeTo(JsonGenerator json) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
      body.writeTo(json);
    } catch (IOException e) {
      // A byte array cannot fail to take bytes; a failure here is a bug, not a bad request.
      throw new UncheckedIOException("cannot write an API answer", e);
    }
    return bytes.toByteArray();
  }
}
