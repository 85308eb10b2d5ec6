package io.hivemind.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hivemind.api.ControlPlaneStatus;
import io.hivemind.api.KvPair;
import io.hivemind.api.RaftServer;
import io.hivemind.api.UserEvent;
import io.hivemind.client.HivemindJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The control plane's answers as text for a person ({@code hivemind status}, {@code operator raft
 * list-peers}, {@code events}, {@code kv get}) and as the API's JSON for programs.
 */
final class ControlText {

  private static final String NL = System.lineSeparator();

  private ControlText() {}

  /** {@code hivemind status}: one "name: value" line a figure, then the peers' table. */
  static String status(ControlPlaneStatus status) {
    String text =
        "Leader:         "
            + (status.leader().isEmpty() ? "(none)" : status.leader())
            + NL
            + "Degraded:       "
            + (status.degraded() ? "yes (no quorum: writes fail, reads are local)" : "no")
            + NL
            + "Term:           "
            + status.term()
            + NL
            + "Commit index:   "
            + status.commitIndex()
            + NL
            + "Applied index:  "
            + status.appliedIndex()
            + NL
            + "Epoch:          "
            + status.epoch()
            + NL
            + "Cluster:        "
            + (status.cluster().isEmpty() ? "(not bootstrapped)" : status.cluster())
            + NL
            + "Members:        "
            + status.members()
            + NL;
    return text
        + "Peers:"
        + (status.peers().isEmpty() ? " (none)" + NL : NL + peers(status.peers()));
  }

  /** Consul's {@code list-peers} table: Node, ID, Address, State, Voter, RaftProtocol. */
  static String peers(List<RaftServer> servers) {
    TextTable table = new TextTable("Node", "ID", "Address", "State", "Voter", "RaftProtocol");
    for (RaftServer server : servers) {
      table.row(
          server.node(),
          server.id(),
          server.address(),
          server.leader() ? "leader" : "follower",
          Boolean.toString(server.voter()),
          server.protocolVersion());
    }
    return table.toString();
  }

  /** One line an event: index, time, name, subject, payload. */
  static String event(UserEvent event) {
    String payload = text(event.decodedPayload());
    return event.index()
        + "  "
        + Instant.ofEpochMilli(event.timeMillis())
        + "  "
        + event.name()
        + "  "
        + (event.subject() == null || event.subject().isEmpty() ? "-" : event.subject())
        + (payload.isEmpty() ? "" : "  " + payload);
  }

  /** {@code kv get --recurse}: {@code key:value} a line, as Consul's CLI prints them. */
  static String entries(List<KvPair> pairs) {
    StringBuilder text = new StringBuilder();
    for (KvPair pair : pairs) {
      text.append(pair.key()).append(':').append(text(pair.decodedValue())).append(NL);
    }
    return text.toString();
  }

  /**
   * Bytes as UTF-8 text; bytes that are not UTF-8 as {@code base64:...}, so a binary value never
   * garbles a terminal.
   */
  static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }

  /** The API's JSON of {@code value}, indented. */
  static String json(Object value) {
    return write(HivemindJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT), value);
  }

  /** The API's JSON of {@code value} on one line (one event a line when following). */
  static String jsonLine(Object value) {
    return write(HivemindJson.newMapper(), value);
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer read a moment ago", e);
    }
  }
}
