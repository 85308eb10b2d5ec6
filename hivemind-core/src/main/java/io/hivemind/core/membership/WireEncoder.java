package io.hivemind.core.membership;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Left;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.Suspect;
import io.hivemind.core.wire.proto.WireState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes the protocol's records as membership.proto messages (docs/protocol/membership.md, "Wire
 * format"), straight into an exactly sized array with protobuf's own {@link CodedOutputStream}.
 *
 * <p>Design note. Not through the generated builders: those build a tree of message objects for
 * every Ping, Ack and push-pull member only to serialize it at once, which cost more than the rest
 * of answering a ping. The bytes are the ones the generated serializer writes, field for field:
 * fields in number order; a scalar only when it is not its default (0, "", false); a message field
 * whenever it is set, even empty; every element of a repeated field; both key and value of every
 * map entry. WireEncoderTest holds this to the generated serializer for every kind of record,
 * random ones included. Field numbers come from the generated classes, so they cannot drift from
 * the schema.
 *
 * <p>A member's roles are written in the order of its list ({@link NodeState} keeps its own sorted,
 * so equal records are equal bytes in every process) and its tags sorted by key, whatever map holds
 * them; NodeState's map is sorted already, and that common case copies nothing.
 *
 * <p>Stateless; {@link WireCodec} adds headers and packet framing.
 */
final class WireEncoder {

  /** A map entry is a message of its key (field 1) and value (field 2), both always written. */
  private static final int MAP_KEY = 1;

  private static final int MAP_VALUE = 2;

  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private WireEncoder() {}

  // No nested or anonymous classes here (lambdas included): their simple names do not start with
  // "Wire", and only Wire* classes may touch protobuf (the ArchUnit rule of hivemind-core).

  // ---- packet messages ------------------------------------------------------------------------

  /** One packet message, encoded once for every packet it will ride in. */
  static EncodedMessage encode(GossipMessage message) {
    try {
      return encodeKind(message);
    } catch (IOException e) {
      throw new UncheckedIOException("message size miscounted", e);
    }
  }

  private static EncodedMessage encodeKind(GossipMessage message) throws IOException {
    // Most frequent first: gossip is mostly Alive, probes Ping and Ack.
    if (message instanceof GossipMessage.Alive alive) {
      return alive(alive.member());
    } else if (message instanceof GossipMessage.Ping ping) {
      return ping(ping);
    } else if (message instanceof GossipMessage.Ack ack) {
      return seq(Message.ACK_FIELD_NUMBER, ack.seq());
    } else if (message instanceof GossipMessage.Suspect suspect) {
      return accusation(
          Message.SUSPECT_FIELD_NUMBER, suspect.name(), suspect.incarnation(), suspect.from());
    } else if (message instanceof GossipMessage.Dead dead) {
      return accusation(Message.DEAD_FIELD_NUMBER, dead.name(), dead.incarnation(), dead.from());
    } else if (message instanceof GossipMessage.Left left) {
      return left(left);
    } else if (message instanceof GossipMessage.IndirectPing request) {
      return indirectPing(request);
    } else if (message instanceof GossipMessage.Nack nack) {
      return seq(Message.NACK_FIELD_NUMBER, nack.seq());
    }
    throw new IllegalArgumentException("no encoding for " + message);
  }

  /** An array of exactly the size of a {@code Message} whose oneof {@code field} holds the body. */
  private static byte[] messageArray(int field, int bodySize) {
    return new byte[fieldSize(field, bodySize)];
  }

  /** Starts writing {@code bytes}: the oneof's tag and the body's length. */
  private static CodedOutputStream open(byte[] bytes, int field, int bodySize) throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeTag(field, LENGTH_DELIMITED);
    out.writeUInt32NoTag(bodySize);
    return out;
  }

  /** The message {@link #open} started, once its body is written. */
  private static EncodedMessage close(CodedOutputStream out, byte[] bytes) {
    out.checkNoSpaceLeft();
    return new EncodedMessage(bytes);
  }

  private static EncodedMessage ping(GossipMessage.Ping ping) throws IOException {
    int size = pingSize(ping);
    byte[] bytes = messageArray(Message.PING_FIELD_NUMBER, size);
    CodedOutputStream out = open(bytes, Message.PING_FIELD_NUMBER, size);
    writePing(out, ping);
    return close(out, bytes);
  }

  /** Ack or Nack, whose only field is the sequence number (field 1 of both). */
  private static EncodedMessage seq(int field, int seq) throws IOException {
    int size = uint32Size(Ack.SEQ_FIELD_NUMBER, seq);
    byte[] bytes = messageArray(field, size);
    CodedOutputStream out = open(bytes, field, size);
    writeUInt32(out, Ack.SEQ_FIELD_NUMBER, seq);
    return close(out, bytes);
  }

  private static EncodedMessage alive(GossipMember member) throws IOException {
    int memberSize = memberSize(member);
    int size = fieldSize(Alive.MEMBER_FIELD_NUMBER, memberSize);
    byte[] bytes = messageArray(Message.ALIVE_FIELD_NUMBER, size);
    CodedOutputStream out = open(bytes, Message.ALIVE_FIELD_NUMBER, size);
    writeMember(out, Alive.MEMBER_FIELD_NUMBER, member, memberSize);
    return close(out, bytes);
  }

  private static int pingSize(GossipMessage.Ping ping) {
    return uint32Size(Ping.SEQ_FIELD_NUMBER, ping.seq())
        + stringSize(Ping.TARGET_FIELD_NUMBER, ping.target());
  }

  private static void writePing(CodedOutputStream out, GossipMessage.Ping ping) throws IOException {
    writeUInt32(out, Ping.SEQ_FIELD_NUMBER, ping.seq());
    writeString(out, Ping.TARGET_FIELD_NUMBER, ping.target());
  }

  private static EncodedMessage indirectPing(GossipMessage.IndirectPing request)
      throws IOException {
    int endpointSize = endpointSize(request.targetAddress());
    int size =
        uint32Size(IndirectPing.SEQ_FIELD_NUMBER, request.seq())
            + stringSize(IndirectPing.TARGET_FIELD_NUMBER, request.target())
            + fieldSize(IndirectPing.TARGET_ADDRESS_FIELD_NUMBER, endpointSize)
            + boolSize(IndirectPing.NACK_FIELD_NUMBER, request.nack());
    byte[] bytes = messageArray(Message.INDIRECT_PING_FIELD_NUMBER, size);
    CodedOutputStream out = open(bytes, Message.INDIRECT_PING_FIELD_NUMBER, size);
    writeUInt32(out, IndirectPing.SEQ_FIELD_NUMBER, request.seq());
    writeString(out, IndirectPing.TARGET_FIELD_NUMBER, request.target());
    writeEndpoint(out, IndirectPing.TARGET_ADDRESS_FIELD_NUMBER, request.targetAddress());
    if (request.nack()) {
      out.writeBool(IndirectPing.NACK_FIELD_NUMBER, true);
    }
    return close(out, bytes);
  }

  /** Suspect or Dead, which have the same fields under the same numbers. */
  private static EncodedMessage accusation(int field, String name, long incarnation, String from)
      throws IOException {
    int size =
        stringSize(Suspect.NAME_FIELD_NUMBER, name)
            + uint64Size(Suspect.INCARNATION_FIELD_NUMBER, incarnation)
            + stringSize(Suspect.FROM_FIELD_NUMBER, from);
    byte[] bytes = messageArray(field, size);
    CodedOutputStream out = open(bytes, field, size);
    writeString(out, Suspect.NAME_FIELD_NUMBER, name);
    writeUInt64(out, Suspect.INCARNATION_FIELD_NUMBER, incarnation);
    writeString(out, Suspect.FROM_FIELD_NUMBER, from);
    return close(out, bytes);
  }

  private static EncodedMessage left(GossipMessage.Left left) throws IOException {
    int size =
        stringSize(Left.NAME_FIELD_NUMBER, left.name())
            + uint64Size(Left.INCARNATION_FIELD_NUMBER, left.incarnation());
    byte[] bytes = messageArray(Message.LEFT_FIELD_NUMBER, size);
    CodedOutputStream out = open(bytes, Message.LEFT_FIELD_NUMBER, size);
    writeString(out, Left.NAME_FIELD_NUMBER, left.name());
    writeUInt64(out, Left.INCARNATION_FIELD_NUMBER, left.incarnation());
    return close(out, bytes);
  }

  // ---- stream frames --------------------------------------------------------------------------

  /**
   * A stream frame: {@code header}, the header field already encoded (the bytes that open every
   * packet too: the header is field 1 of both {@code Packet} and {@code StreamFrame}), then {@code
   * body}.
   */
  static byte[] frame(byte[] header, StreamMessage body) {
    try {
      return frameOf(header, body);
    } catch (IOException e) {
      throw new UncheckedIOException("frame size miscounted", e);
    }
  }

  private static byte[] frameOf(byte[] header, StreamMessage body) throws IOException {
    if (body instanceof StreamMessage.PushPull state) {
      return pushPullFrame(header, state);
    } else if (body instanceof GossipMessage.Ping ping) {
      int size = pingSize(ping);
      byte[] bytes = frameArray(header, StreamFrame.PING_FIELD_NUMBER, size);
      CodedOutputStream out = openFrame(bytes, header, StreamFrame.PING_FIELD_NUMBER, size);
      writePing(out, ping);
      return closeFrame(out, bytes);
    } else if (body instanceof GossipMessage.Ack ack) {
      int size = uint32Size(Ack.SEQ_FIELD_NUMBER, ack.seq());
      byte[] bytes = frameArray(header, StreamFrame.ACK_FIELD_NUMBER, size);
      CodedOutputStream out = openFrame(bytes, header, StreamFrame.ACK_FIELD_NUMBER, size);
      writeUInt32(out, Ack.SEQ_FIELD_NUMBER, ack.seq());
      return closeFrame(out, bytes);
    }
    throw new IllegalArgumentException("no encoding for " + body);
  }

  private static byte[] pushPullFrame(byte[] header, StreamMessage.PushPull state)
      throws IOException {
    List<GossipMember> members = state.members();
    int[] memberSizes = new int[members.size()];
    int size = boolSize(PushPull.JOIN_FIELD_NUMBER, state.join());
    for (int i = 0; i < memberSizes.length; i++) {
      memberSizes[i] = memberSize(members.get(i));
      size += fieldSize(PushPull.MEMBERS_FIELD_NUMBER, memberSizes[i]);
    }
    byte[] bytes = frameArray(header, StreamFrame.PUSH_PULL_FIELD_NUMBER, size);
    CodedOutputStream out = openFrame(bytes, header, StreamFrame.PUSH_PULL_FIELD_NUMBER, size);
    if (state.join()) {
      out.writeBool(PushPull.JOIN_FIELD_NUMBER, true);
    }
    for (int i = 0; i < memberSizes.length; i++) {
      writeMember(out, PushPull.MEMBERS_FIELD_NUMBER, members.get(i), memberSizes[i]);
    }
    return closeFrame(out, bytes);
  }

  private static byte[] frameArray(byte[] header, int field, int bodySize) {
    return new byte[header.length + fieldSize(field, bodySize)];
  }

  /** As {@link #open}, for a frame: the header copied in first. */
  private static CodedOutputStream openFrame(byte[] bytes, byte[] header, int field, int bodySize)
      throws IOException {
    System.arraycopy(header, 0, bytes, 0, header.length);
    CodedOutputStream out =
        CodedOutputStream.newInstance(bytes, header.length, bytes.length - header.length);
    out.writeTag(field, LENGTH_DELIMITED);
    out.writeUInt32NoTag(bodySize);
    return out;
  }

  private static byte[] closeFrame(CodedOutputStream out, byte[] bytes) {
    out.checkNoSpaceLeft();
    return bytes;
  }

  // ---- members --------------------------------------------------------------------------------

  /** Bytes of one {@code MemberInfo}, without its own tag and length. */
  private static int memberSize(GossipMember member) {
    int size =
        stringSize(MemberInfo.NAME_FIELD_NUMBER, member.name())
            + fieldSize(MemberInfo.ADDRESS_FIELD_NUMBER, endpointSize(member.address()))
            + uint64Size(MemberInfo.INCARNATION_FIELD_NUMBER, member.incarnation())
            + CodedOutputStream.computeEnumSize(
                MemberInfo.STATE_FIELD_NUMBER, state(member.state()))
            + stringSize(MemberInfo.ZONE_FIELD_NUMBER, member.zone());
    for (String role : member.roles()) {
      size += CodedOutputStream.computeStringSize(MemberInfo.ROLES_FIELD_NUMBER, role);
    }
    for (Map.Entry<String, String> tag : sorted(member.tags()).entrySet()) {
      size += fieldSize(MemberInfo.TAGS_FIELD_NUMBER, entrySize(tag));
    }
    return size;
  }

  /** One {@code MemberInfo} as message field {@code field}; {@code size} from memberSize. */
  private static void writeMember(CodedOutputStream out, int field, GossipMember member, int size)
      throws IOException {
    out.writeTag(field, LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    writeString(out, MemberInfo.NAME_FIELD_NUMBER, member.name());
    writeEndpoint(out, MemberInfo.ADDRESS_FIELD_NUMBER, member.address());
    writeUInt64(out, MemberInfo.INCARNATION_FIELD_NUMBER, member.incarnation());
    out.writeEnum(MemberInfo.STATE_FIELD_NUMBER, state(member.state()));
    for (String role : member.roles()) {
      out.writeString(MemberInfo.ROLES_FIELD_NUMBER, role);
    }
    for (Map.Entry<String, String> tag : sorted(member.tags()).entrySet()) {
      out.writeTag(MemberInfo.TAGS_FIELD_NUMBER, LENGTH_DELIMITED);
      out.writeUInt32NoTag(entrySize(tag));
      out.writeString(MAP_KEY, tag.getKey());
      out.writeString(MAP_VALUE, tag.getValue());
    }
    writeString(out, MemberInfo.ZONE_FIELD_NUMBER, member.zone());
  }

  private static int entrySize(Map.Entry<String, String> tag) {
    return CodedOutputStream.computeStringSize(MAP_KEY, tag.getKey())
        + CodedOutputStream.computeStringSize(MAP_VALUE, tag.getValue());
  }

  /** The wire state: never STATE_UNSPECIFIED, which receivers refuse. */
  private static int state(MemberState state) {
    return switch (state) {
      case ALIVE -> WireState.ALIVE_VALUE;
      case SUSPECT -> WireState.SUSPECT_VALUE;
      case DEAD -> WireState.DEAD_VALUE;
      case LEFT -> WireState.LEFT_VALUE;
    };
  }

  private static Map<String, String> sorted(Map<String, String> tags) {
    if (tags.size() < 2
        || (tags instanceof SortedMap<String, String> m && m.comparator() == null)) {
      return tags;
    }
    return new TreeMap<>(tags);
  }

  // ---- fields ---------------------------------------------------------------------------------

  private static int endpointSize(Address address) {
    return stringSize(Endpoint.HOST_FIELD_NUMBER, address.host())
        + uint32Size(Endpoint.PORT_FIELD_NUMBER, address.port());
  }

  private static void writeEndpoint(CodedOutputStream out, int field, Address address)
      throws IOException {
    out.writeTag(field, LENGTH_DELIMITED);
    out.writeUInt32NoTag(endpointSize(address));
    writeEndpointFields(out, address);
  }

  private static void writeEndpointFields(CodedOutputStream out, Address address)
      throws IOException {
    writeString(out, Endpoint.HOST_FIELD_NUMBER, address.host());
    writeUInt32(out, Endpoint.PORT_FIELD_NUMBER, address.port());
  }

  /** A set message field of {@code bodySize} bytes: tag, length, body. Written even if empty. */
  private static int fieldSize(int field, int bodySize) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(bodySize)
        + bodySize;
  }

  // proto3 scalars: absent when at their default.

  private static int uint32Size(int field, int value) {
    return value == 0 ? 0 : CodedOutputStream.computeUInt32Size(field, value);
  }

  private static int uint64Size(int field, long value) {
    return value == 0 ? 0 : CodedOutputStream.computeUInt64Size(field, value);
  }

  private static int boolSize(int field, boolean value) {
    return value ? CodedOutputStream.computeBoolSize(field, true) : 0;
  }

  private static int stringSize(int field, String value) {
    return value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, value);
  }

  private static void writeUInt32(CodedOutputStream out, int field, int value) throws IOException {
    if (value != 0) {
      out.writeUInt32(field, value);
    }
  }

  private static void writeUInt64(CodedOutputStream out, int field, long value) throws IOException {
    if (value != 0) {
      out.writeUInt64(field, value);
    }
  }

  private static void writeString(CodedOutputStream out, int field, String value)
      throws IOException {
    if (!value.isEmpty()) {
      out.writeString(field, value);
    }
  }
}
