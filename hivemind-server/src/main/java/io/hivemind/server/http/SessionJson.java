package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.core.control.Session;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Sessions in Consul's JSON shape ({@code /v1/session/*}): {@code LockDelay} in nanoseconds, {@code
 * TTL} as a Go duration ("" for none), and the node's {@code serfHealth} as its only check, since a
 * session is bound to its member's membership as Consul's default session is to its node's {@code
 * serfHealth}. Stateless.
 */
final class SessionJson {

  /** Consul's name for a node's membership check, the only check a session is bound to. */
  static final String SERF_HEALTH = "serfHealth";

  private SessionJson() {}

  /** {@code {"ID": id}}: the answer to a creation. */
  static byte[] created(String id) {
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeStringField("ID", id);
          json.writeEndObject();
        });
  }

  /** A JSON array of sessions. */
  static byte[] sessions(List<Session> sessions) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (Session session : sessions) {
            session(json, session);
          }
          json.writeEndArray();
        });
  }

  private static void session(JsonGenerator json, Session session) throws IOException {
    json.writeStartObject();
    json.writeStringField("ID", session.id());
    json.writeStringField("Name", session.name());
    json.writeStringField("Node", session.node());
    json.writeNumberField("LockDelay", session.lockDelayMillis() * 1_000_000L);
    json.writeStringField("Behavior", session.behavior().name().toLowerCase(Locale.ROOT));
    json.writeStringField("TTL", ttl(session.ttlMillis()));
    json.writeArrayFieldStart("Checks");
    json.writeString(SERF_HEALTH);
    json.writeEndArray();
    json.writeArrayFieldStart("NodeChecks");
    json.writeString(SERF_HEALTH);
    json.writeEndArray();
    json.writeNullField("ServiceChecks");
    json.writeNumberField("CreateIndex", session.createIndex());
    json.writeNumberField("ModifyIndex", session.createIndex());
    json.writeEndObject();
  }

  /** A TTL as Consul shows it: "" for none, whole seconds as "30s", else milliseconds. */
  static String ttl(long millis) {
    if (millis == 0) {
      return "";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
