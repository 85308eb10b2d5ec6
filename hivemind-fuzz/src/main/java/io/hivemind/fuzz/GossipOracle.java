package io.hivemind.fuzz;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.WireEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the fuzz properties know about gossip bytes, read with the generated classes of the wire
 * schema (membership.proto, the protocol's contract) and the rules of docs/protocol/membership.md,
 * never with the node's own codec: the judge must not share the code it judges.
 */
final class GossipOracle {

  private static final int PROTOCOL_VERSION = 1;
  private static final int MAX_NAME_BYTES = 128;
  private static final int MAX_MESSAGES = 255;
  private static final int MAX_MEMBERS = 100_000;

  private GossipOracle() {}

  /**
   * True if a node of our cluster may take {@code bytes} as a packet without counting a drop: it
   * parses, and its header is ours (docs/protocol/membership.md, "Wire format").
   */
  static boolean acceptablePacket(byte[] bytes) {
    Packet packet = packet(bytes);
    return packet != null
        && packet.hasHeader()
        && ours(packet.getHeader())
        && packet.getMessagesCount() <= MAX_MESSAGES;
  }

  /** As {@link #acceptablePacket}, for a stream frame. */
  static boolean acceptableFrame(byte[] bytes) {
    StreamFrame frame = frame(bytes);
    return frame != null
        && frame.hasHeader()
        && ours(frame.getHeader())
        && (!frame.hasPushPull() || frame.getPushPull().getMembersCount() <= MAX_MEMBERS);
  }

  private static boolean ours(Header header) {
    int sender = header.getSender().getBytes(StandardCharsets.UTF_8).length;
    return header.getVersion() == PROTOCOL_VERSION
        && header.getCluster().equals(GossipCorpus.CLUSTER)
        && header.getEnvironmentValue() == WireEnvironment.TESTING.getNumber()
        && sender >= 1
        && sender <= MAX_NAME_BYTES;
  }

  /**
   * Names of the members {@code bytes} announce: Alive records of a packet, or the members of a
   * push-pull frame.
   */
  static Set<String> announcedNames(byte[] bytes, boolean isFrame) {
    Set<String> names = new HashSet<>();
    Packet packet = isFrame ? null : packet(bytes);
    if (packet != null) {
      for (Message message : packet.getMessagesList()) {
        if (message.hasAlive()) {
          names.add(message.getAlive().getMember().getName());
        }
      }
    }
    StreamFrame frame = isFrame ? frame(bytes) : null;
    if (frame != null && frame.hasPushPull()) {
      for (MemberInfo member : frame.getPushPull().getMembersList()) {
        names.add(member.getName());
      }
    }
    return names;
  }

  /** The sequence number of a Ping to {@code target} in {@code packet}, or -1. */
  static int pingSeq(byte[] packet, String target) {
    Packet decoded = packet(packet);
    if (decoded == null) {
      return -1;
    }
    for (Message message : decoded.getMessagesList()) {
      if (message.hasPing() && message.getPing().getTarget().equals(target)) {
        return message.getPing().getSeq();
      }
    }
    return -1;
  }

  /** True if {@code packet} carries an Ack of {@code seq}. */
  static boolean acks(byte[] packet, int seq) {
    Packet decoded = packet(packet);
    return decoded != null
        && decoded.getMessagesList().stream()
            .anyMatch(m -> m.hasAck() && m.getAck().getSeq() == seq);
  }

  /** The kinds of messages a packet carries, as a label: {@code ALIVE+PING}. */
  static String shape(byte[] bytes) {
    Packet packet = packet(bytes);
    if (packet == null) {
      return "unparsable";
    }
    Set<String> kinds = new TreeSet<>();
    packet.getMessagesList().forEach(m -> kinds.add(m.getBodyCase().name()));
    return String.join("+", kinds);
  }

  static Packet packet(byte[] bytes) {
    try {
      return Packet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return null;
    }
  }

  static StreamFrame frame(byte[] bytes) {
    try {
      return StreamFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return null;
    }
  }
}
