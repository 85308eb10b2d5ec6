package io.hivemind.core.membership;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.api.Environment;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.WireEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node's edge to the membership wire format (membership.proto, docs/protocol/membership.md):
 * received bytes in, records out ({@link DecodedPacket}, {@link DecodedFrame}); records and encoded
 * messages in, bytes out.
 *
 * <p>Design note. Received bytes are decoded once, here: bounded, parsed, their header checked
 * (version, cluster, environment, sender), then handed to {@link WireDecoder}, which checks every
 * field rule while it builds the records. Protocol logic sees only those records, never protobuf. A
 * failure that drops the whole packet or frame is a {@link WireException} carrying the {@link
 * DropReason} to count; a failure inside one message or member is reported in the record instead
 * (see {@link DecodedPacket}), because the rest may still be used. Outgoing packets are assembled
 * from messages encoded once ({@link EncodedMessage}, by {@link WireEncoder}) behind a header
 * encoded once, so a packet's size is known exactly before it is built.
 *
 * <p>Holds only immutable state (this node's header), so it could be shared; each node owns one.
 */
final class WireCodec {

  /** Version 1 of the membership wire protocol. */
  static final int PROTOCOL_VERSION = 1;

  /** Largest UDP payload over IPv4; anything larger cannot be a packet of ours. */
  static final int MAX_PACKET_BYTES = 65_507;

  /** Largest stream frame: a push-pull of {@link #MAX_MEMBERS} members with full metadata. */
  static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /** Most members a push-pull may carry (memberlist bounds its push state the same way). */
  static final int MAX_MEMBERS = 100_000;

  /** Most messages one compound packet may carry. */
  static final int MAX_MESSAGES_PER_PACKET = 255;

  private final String cluster;
  private final WireEnvironment environment;
  private final byte[] packetPrefix;

  WireCodec(NodeIdentity identity) {
    this.cluster = identity.cluster();
    this.environment = toWire(identity.environment());
    this.packetPrefix =
        encodePrefix(
            Header.newBuilder()
                .setVersion(PROTOCOL_VERSION)
                .setCluster(cluster)
                .setEnvironment(environment)
                .setSender(identity.name())
                .build());
  }

  // ---- outgoing -------------------------------------------------------------------------------

  /** Bytes every packet spends before its messages. */
  int packetOverhead() {
    return packetPrefix.length;
  }

  /**
   * Bytes a message of {@code length} bytes takes inside a packet: a one-byte field tag, the length
   * as a varint, the message. Packets are filled to their bound with this, so it is exact.
   */
  static int messageFieldSize(int length) {
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  /** Assembles a compound packet: the header, then each message. */
  byte[] packet(List<EncodedMessage> messages) {
    int size = packetPrefix.length;
    for (EncodedMessage message : messages) {
      size += message.fieldSize();
    }
    byte[] bytes = new byte[size];
    System.arraycopy(packetPrefix, 0, bytes, 0, packetPrefix.length);
    CodedOutputStream out =
        CodedOutputStream.newInstance(bytes, packetPrefix.length, size - packetPrefix.length);
    try {
      for (EncodedMessage message : messages) {
        out.writeByteArray(Packet.MESSAGES_FIELD_NUMBER, message.bytes());
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("packet size miscounted", e);
    }
    return bytes;
  }

  /** One stream frame: this node's header and {@code body}. */
  byte[] frame(StreamMessage body) {
    // The header is field 1 of a StreamFrame as it is of a Packet: the same bytes open both.
    return WireEncoder.frame(packetPrefix, body);
  }

  // ---- incoming -------------------------------------------------------------------------------

  /**
   * Decodes a datagram.
   *
   * @throws WireException for a packet to drop whole: OVERSIZED, MALFORMED (does not parse, no
   *     header), WRONG_VERSION, WRONG_CLUSTER, WRONG_ENVIRONMENT, INVALID (sender name, too many
   *     messages)
   */
  DecodedPacket decodePacket(byte[] bytes) throws WireException {
    if (bytes.length > MAX_PACKET_BYTES) {
      throw new WireException(DropReason.OVERSIZED, "packet of " + bytes.length + " bytes");
    }
    Packet packet;
    try {
      packet = Packet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new WireException(DropReason.MALFORMED, "not a packet: " + e.getMessage());
    }
    String sender = checkHeader(packet.hasHeader(), packet.getHeader());
    if (packet.getMessagesCount() > MAX_MESSAGES_PER_PACKET) {
      throw new WireException(
          DropReason.INVALID, packet.getMessagesCount() + " messages in one packet");
    }
    return messages(sender, packet.getMessagesList());
  }

  /**
   * The packet's messages, by the rules of {@link DecodedPacket}. The list is handed over as a
   * read-only view, not copied: nothing else holds it.
   */
  private static DecodedPacket messages(String sender, List<Message> received) {
    List<GossipMessage> messages = new ArrayList<>(received.size());
    List<GossipMessage> view = Collections.unmodifiableList(messages);
    int invalid = 0;
    for (Message message : received) {
      GossipMessage decoded;
      try {
        decoded = WireDecoder.message(message);
      } catch (WireException e) {
        return new DecodedPacket(sender, view, invalid + 1, true);
      }
      if (decoded == null) {
        invalid++;
      } else {
        messages.add(decoded);
      }
    }
    return new DecodedPacket(sender, view, invalid, false);
  }

  /**
   * Decodes a stream frame.
   *
   * @throws WireException for a frame to drop whole: OVERSIZED, MALFORMED, WRONG_VERSION,
   *     WRONG_CLUSTER, WRONG_ENVIRONMENT, INVALID (sender name, too many members)
   */
  DecodedFrame decodeFrame(byte[] bytes) throws WireException {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new WireException(DropReason.OVERSIZED, "frame of " + bytes.length + " bytes");
    }
    StreamFrame frame;
    try {
      frame = StreamFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new WireException(DropReason.MALFORMED, "not a stream frame: " + e.getMessage());
    }
    String sender = checkHeader(frame.hasHeader(), frame.getHeader());
    if (frame.hasPushPull() && frame.getPushPull().getMembersCount() > MAX_MEMBERS) {
      throw new WireException(
          DropReason.INVALID, frame.getPushPull().getMembersCount() + " members in a push-pull");
    }
    return new DecodedFrame(sender, body(frame));
  }

  /** On field numbers, not the BodyCase enum: see {@link WireDecoder#message}. */
  private static StreamMessage body(StreamFrame frame) throws WireException {
    return switch (frame.getBodyCase().getNumber()) {
      case StreamFrame.PUSH_PULL_FIELD_NUMBER -> WireDecoder.pushPull(frame.getPushPull());
      case StreamFrame.PING_FIELD_NUMBER -> WireDecoder.ping(frame.getPing());
      case StreamFrame.ACK_FIELD_NUMBER -> new GossipMessage.Ack(frame.getAck().getSeq());
      default -> StreamMessage.Unknown.INSTANCE;
    };
  }

  /** Checks a received header; returns its sender. */
  private String checkHeader(boolean present, Header received) throws WireException {
    if (!present) {
      throw new WireException(DropReason.MALFORMED, "no header");
    }
    if (received.getVersion() != PROTOCOL_VERSION) {
      throw new WireException(
          DropReason.WRONG_VERSION, "protocol version " + received.getVersion());
    }
    if (!received.getCluster().equals(cluster)) {
      throw new WireException(DropReason.WRONG_CLUSTER, "cluster '" + received.getCluster() + "'");
    }
    if (received.getEnvironment() != environment) {
      throw new WireException(
          DropReason.WRONG_ENVIRONMENT, "environment " + received.getEnvironmentValue());
    }
    return WireDecoder.name("sender", received.getSender());
  }

  private static WireEnvironment toWire(Environment environment) {
    return switch (environment) {
      case PRODUCTION -> WireEnvironment.PRODUCTION;
      case STAGING -> WireEnvironment.STAGING;
      case TESTING -> WireEnvironment.TESTING;
      case DEVELOPMENT -> WireEnvironment.DEVELOPMENT;
    };
  }

  private static byte[] encodePrefix(Header header) {
    byte[] headerBytes = header.toByteArray();
    byte[] prefix = new byte[messageFieldSize(headerBytes.length)];
    CodedOutputStream out = CodedOutputStream.newInstance(prefix);
    try {
      out.writeByteArray(Packet.HEADER_FIELD_NUMBER, headerBytes);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("header size miscounted", e);
    }
    return prefix;
  }
}
