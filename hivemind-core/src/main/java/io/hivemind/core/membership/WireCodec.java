package io.hivemind.core.membership;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Dead;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Left;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Nack;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.Suspect;
import io.hivemind.core.wire.proto.WireEnvironment;
import io.hivemind.core.wire.proto.WireState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes and decodes the membership wire format (membership.proto, docs/protocol/membership.md).
 *
 * <p>Outgoing packets are assembled from pre-encoded messages behind a header encoded once, so the
 * packet size is known exactly before it is built. Incoming bytes are bounded, parsed and checked
 * (version, cluster, environment, field rules) before anything acts on them; every failure is a
 * {@link WireException} carrying the {@link DropReason} to count.
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

  private static final int MAX_HOST_BYTES = 255;

  private final String cluster;
  private final WireEnvironment environment;
  private final Header header;
  private final byte[] packetPrefix;

  WireCodec(NodeIdentity identity) {
    this.cluster = identity.cluster();
    this.environment = toWire(identity.environment());
    this.header =
        Header.newBuilder()
            .setVersion(PROTOCOL_VERSION)
            .setCluster(cluster)
            .setEnvironment(environment)
            .setSender(identity.name())
            .build();
    this.packetPrefix = encodePrefix(header);
  }

  /** Bytes every packet spends before its messages. */
  int packetOverhead() {
    return packetPrefix.length;
  }

  /** Assembles a compound packet: the header, then each pre-encoded message. */
  byte[] packet(List<ByteString> messages) {
    int size = packetPrefix.length;
    for (ByteString message : messages) {
      size += BroadcastQueue.PacketSizes.messageFieldSize(message.size());
    }
    byte[] bytes = new byte[size];
    System.arraycopy(packetPrefix, 0, bytes, 0, packetPrefix.length);
    CodedOutputStream out =
        CodedOutputStream.newInstance(bytes, packetPrefix.length, size - packetPrefix.length);
    try {
      for (ByteString message : messages) {
        out.writeBytes(Packet.MESSAGES_FIELD_NUMBER, message);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("packet size miscounted", e);
    }
    return bytes;
  }

  byte[] frame(StreamFrame.Builder frame) {
    return frame.setHeader(header).build().toByteArray();
  }

  Packet decodePacket(byte[] bytes) throws WireException {
    if (bytes.length > MAX_PACKET_BYTES) {
      throw new WireException(DropReason.OVERSIZED, "packet of " + bytes.length + " bytes");
    }
    Packet packet;
    try {
      packet = Packet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new WireException(DropReason.MALFORMED, "not a packet: " + e.getMessage());
    }
    checkHeader(packet.hasHeader(), packet.getHeader());
    if (packet.getMessagesCount() > MAX_MESSAGES_PER_PACKET) {
      throw new WireException(
          DropReason.INVALID, packet.getMessagesCount() + " messages in one packet");
    }
    return packet;
  }

  StreamFrame decodeFrame(byte[] bytes) throws WireException {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new WireException(DropReason.OVERSIZED, "frame of " + bytes.length + " bytes");
    }
    StreamFrame frame;
    try {
      frame = StreamFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new WireException(DropReason.MALFORMED, "not a stream frame: " + e.getMessage());
    }
    checkHeader(frame.hasHeader(), frame.getHeader());
    if (frame.hasPushPull() && frame.getPushPull().getMembersCount() > MAX_MEMBERS) {
      throw new WireException(
          DropReason.INVALID, frame.getPushPull().getMembersCount() + " members in a push-pull");
    }
    return frame;
  }

  private void checkHeader(boolean present, Header received) throws WireException {
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
    checkName("sender", received.getSender());
  }

  // ---- messages -------------------------------------------------------------------------------

  static ByteString ping(int seq, String target) {
    return Message.newBuilder()
        .setPing(Ping.newBuilder().setSeq(seq).setTarget(target))
        .build()
        .toByteString();
  }

  static ByteString indirectPing(int seq, String target, Address address, boolean nack) {
    return Message.newBuilder()
        .setIndirectPing(
            IndirectPing.newBuilder()
                .setSeq(seq)
                .setTarget(target)
                .setTargetAddress(endpoint(address))
                .setNack(nack))
        .build()
        .toByteString();
  }

  static ByteString ack(int seq) {
    return Message.newBuilder().setAck(Ack.newBuilder().setSeq(seq)).build().toByteString();
  }

  static ByteString nack(int seq) {
    return Message.newBuilder().setNack(Nack.newBuilder().setSeq(seq)).build().toByteString();
  }

  static ByteString alive(MemberInfo member) {
    return Message.newBuilder()
        .setAlive(Alive.newBuilder().setMember(member))
        .build()
        .toByteString();
  }

  static ByteString suspect(String name, long incarnation, String from) {
    return Message.newBuilder()
        .setSuspect(Suspect.newBuilder().setName(name).setIncarnation(incarnation).setFrom(from))
        .build()
        .toByteString();
  }

  static ByteString dead(String name, long incarnation, String from) {
    return Message.newBuilder()
        .setDead(Dead.newBuilder().setName(name).setIncarnation(incarnation).setFrom(from))
        .build()
        .toByteString();
  }

  static ByteString left(String name, long incarnation) {
    return Message.newBuilder()
        .setLeft(Left.newBuilder().setName(name).setIncarnation(incarnation))
        .build()
        .toByteString();
  }

  // ---- values ---------------------------------------------------------------------------------

  static Endpoint endpoint(Address address) {
    return Endpoint.newBuilder().setHost(address.host()).setPort(address.port()).build();
  }

  /**
   * Checks an endpoint received from the network and turns it into an {@link Address}.
   *
   * @throws WireException INVALID for an empty or oversized host or a port out of range
   */
  static Address address(Endpoint endpoint) throws WireException {
    String host = endpoint.getHost();
    int hostBytes = MemberMeta.utf8(host);
    if (hostBytes == 0 || hostBytes > MAX_HOST_BYTES || host.isBlank()) {
      throw new WireException(DropReason.INVALID, "bad host '" + host + "'");
    }
    // uint32 on the wire: 2^31 and above arrive as negative ints.
    long port = Integer.toUnsignedLong(endpoint.getPort());
    if (port > 65_535) {
      throw new WireException(DropReason.INVALID, "port " + port);
    }
    return new Address(host, endpoint.getPort());
  }

  static void checkName(String what, String name) throws WireException {
    int bytes = MemberMeta.utf8(name);
    if (bytes == 0 || bytes > NodeIdentity.MAX_NAME_BYTES) {
      throw new WireException(DropReason.INVALID, what + " name of " + bytes + " bytes");
    }
  }

  /**
   * Checks a member record received from the network: name, address, state and the metadata bound.
   */
  static void checkMember(MemberInfo info) throws WireException {
    checkName("member", info.getName());
    if (!info.hasAddress()) {
      throw new WireException(DropReason.INVALID, "member without address");
    }
    address(info.getAddress());
    int meta = MemberMeta.encodedSize(info.getRolesList(), info.getTagsMap(), info.getZone());
    if (meta > MemberMeta.MAX_BYTES) {
      throw new WireException(DropReason.INVALID, "member metadata of " + meta + " bytes");
    }
  }

  static WireEnvironment toWire(Environment environment) {
    return switch (environment) {
      case PRODUCTION -> WireEnvironment.PRODUCTION;
      case STAGING -> WireEnvironment.STAGING;
      case TESTING -> WireEnvironment.TESTING;
      case DEVELOPMENT -> WireEnvironment.DEVELOPMENT;
    };
  }

  static WireState toWire(MemberState state) {
    return switch (state) {
      case ALIVE -> WireState.ALIVE;
      case SUSPECT -> WireState.SUSPECT;
      case DEAD -> WireState.DEAD;
      case LEFT -> WireState.LEFT;
    };
  }

  private static byte[] encodePrefix(Header header) {
    byte[] headerBytes = header.toByteArray();
    byte[] prefix = new byte[BroadcastQueue.PacketSizes.messageFieldSize(headerBytes.length)];
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
