package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.WireState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Turns parsed protobuf messages into the protocol's records, checking each record's field rules on
 * the way (docs/protocol/membership.md, "Wire format"). Every rule lives here, so a record the
 * protocol receives is valid and no handler checks a field again.
 *
 * <p>Stateless: {@link WireCodec} checks bounds and headers and calls in here for the bodies.
 */
final class WireDecoder {

  private static final int MAX_HOST_BYTES = 255;

  private WireDecoder() {}

  /**
   * One packet message.
   *
   * @return the record, or null for a message of no kind this version knows (the caller skips it)
   * @throws WireException INVALID for a message that breaks a field rule
   */
  static GossipMessage message(Message message) throws WireException {
    // Switched on field numbers rather than on the BodyCase enum here and below: javac compiles an
    // enum switch into a synthetic class (WireDecoder$1), whose empty simple name does not start
    // with "Wire", so it would be a class outside the Wire* edge that touches protobuf.
    return switch (message.getBodyCase().getNumber()) {
      case Message.PING_FIELD_NUMBER -> ping(message.getPing());
      case Message.INDIRECT_PING_FIELD_NUMBER -> indirectPing(message.getIndirectPing());
      case Message.ACK_FIELD_NUMBER -> new GossipMessage.Ack(message.getAck().getSeq());
      case Message.NACK_FIELD_NUMBER -> new GossipMessage.Nack(message.getNack().getSeq());
      case Message.ALIVE_FIELD_NUMBER ->
          new GossipMessage.Alive(member(message.getAlive().getMember()));
      case Message.SUSPECT_FIELD_NUMBER -> {
        var suspect = message.getSuspect();
        yield new GossipMessage.Suspect(
            name("suspect", suspect.getName()),
            incarnation(suspect.getIncarnation()),
            name("suspect from", suspect.getFrom()));
      }
      case Message.DEAD_FIELD_NUMBER -> {
        var dead = message.getDead();
        yield new GossipMessage.Dead(
            name("dead", dead.getName()),
            incarnation(dead.getIncarnation()),
            name("dead from", dead.getFrom()));
      }
      case Message.LEFT_FIELD_NUMBER -> {
        var left = message.getLeft();
        yield new GossipMessage.Left(
            name("left", left.getName()), incarnation(left.getIncarnation()));
      }
      default -> null; // no body: BODY_NOT_SET, or a kind added after version 1
    };
  }

  /**
   * A ping, in a packet or on a stream: its target is empty ("whoever is there") or a node name.
   *
   * @throws WireException INVALID otherwise
   */
  static GossipMessage.Ping ping(Ping ping) throws WireException {
    String target = ping.getTarget();
    return new GossipMessage.Ping(ping.getSeq(), target.isEmpty() ? target : name("ping", target));
  }

  private static GossipMessage.IndirectPing indirectPing(IndirectPing request)
      throws WireException {
    String target = name("target", request.getTarget());
    Address address = address(request.getTargetAddress());
    return new GossipMessage.IndirectPing(request.getSeq(), target, address, request.getNack());
  }

  /**
   * A push-pull's members. A member that breaks a rule is left out and counted in {@link
   * StreamMessage.PushPull#invalidMembers}: one bad record does not cost the whole exchange.
   */
  static StreamMessage.PushPull pushPull(PushPull state) {
    List<GossipMember> members = new ArrayList<>(state.getMembersCount());
    int invalid = 0;
    for (MemberInfo info : state.getMembersList()) {
      try {
        members.add(member(info));
      } catch (WireException e) {
        invalid++;
      }
    }
    return new StreamMessage.PushPull(state.getJoin(), members, invalid);
  }

  /**
   * A member record: name, address, metadata bound and state.
   *
   * @throws WireException INVALID naming the rule broken
   */
  static GossipMember member(MemberInfo info) throws WireException {
    String name = name("member", info.getName());
    if (!info.hasAddress()) {
      throw new WireException(DropReason.INVALID, "member without address");
    }
    Address address = address(info.getAddress());
    List<String> roles = info.getRolesList();
    Map<String, String> tags = Map.of();
    int tagChars = 0;
    if (info.getTagsCount() > 0) { // counted without the map view getTagsMap() allocates
      Map<String, String> wireTags = info.getTagsMap();
      TagReader reader = new TagReader();
      wireTags.forEach(reader);
      tags = reader.copy(wireTags);
      tagChars = reader.chars;
    }
    checkMetaSize(roles, tags, info.getZone(), tagChars);
    checkMetaCharacters(roles, tags, info.getZone());
    return new GossipMember(
        name,
        address,
        incarnation(info.getIncarnation()),
        state(info),
        roles(roles),
        tags,
        info.getZone());
  }

  /**
   * The metadata bound. A char takes at most 3 bytes of UTF-8, so the bytes are counted only when
   * the chars alone do not settle it: ordinary metadata is never scanned.
   */
  private static void checkMetaSize(
      List<String> roles, Map<String, String> tags, String zone, int tagChars)
      throws WireException {
    int chars = tagChars + zone.length();
    for (int i = 0; i < roles.size(); i++) {
      chars += roles.get(i).length();
    }
    if (chars <= MemberMeta.MAX_BYTES / 3) {
      return;
    }
    int bytes = MemberMeta.encodedSize(roles, tags, zone);
    if (bytes > MemberMeta.MAX_BYTES) {
      throw new WireException(DropReason.INVALID, "member metadata of " + bytes + " bytes");
    }
  }

  /** Roles, tag keys and values and zone against {@link FieldRules}. */
  private static void checkMetaCharacters(List<String> roles, Map<String, String> tags, String zone)
      throws WireException {
    for (int i = 0; i < roles.size(); i++) {
      if (!FieldRules.isRole(roles.get(i))) {
        throw new WireException(DropReason.INVALID, "role " + shown(roles.get(i)));
      }
    }
    String badTag = tags.isEmpty() ? null : FieldRules.badTag(tags);
    if (badTag != null) {
      throw new WireException(DropReason.INVALID, "tag " + shown(badTag));
    }
    if (!FieldRules.isZone(zone)) {
      throw new WireException(DropReason.INVALID, "zone " + shown(zone));
    }
  }

  /**
   * A received string for an exception message: at most 40 chars, control characters escaped, so
   * that neither a 60 KB name nor a CR reaches a log line.
   */
  static String shown(String value) {
    StringBuilder shown = new StringBuilder("'");
    int end = Math.min(value.length(), 40);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    shown.append(value.length() > end ? "'... (" + value.length() + " chars)" : "'");
    return shown.toString();
  }

  /**
   * An endpoint as an {@link Address}.
   *
   * @throws WireException INVALID for a host that is not an IP literal (names are resolved where
   *     they are configured, never from gossip) or a port outside 1..65535
   */
  static Address address(Endpoint endpoint) throws WireException {
    String host = endpoint.getHost();
    if (host.length() > MAX_HOST_BYTES || !FieldRules.isIpLiteral(host)) {
      throw new WireException(DropReason.INVALID, "host " + shown(host));
    }
    // uint32 on the wire: 2^31 and above arrive as negative ints.
    long port = Integer.toUnsignedLong(endpoint.getPort());
    if (port == 0 || port > 65_535) {
      throw new WireException(DropReason.INVALID, "port " + port);
    }
    return new Address(host, endpoint.getPort());
  }

  /**
   * A node name: 1..{@value NodeIdentity#MAX_NAME_BYTES} bytes of ASCII letters, digits, '-', '_'
   * and '.', starting with a letter or digit ({@link FieldRules}).
   *
   * @param what the name's role, for the message
   * @throws WireException INVALID otherwise
   */
  static String name(String what, String name) throws WireException {
    if (!FieldRules.isNodeName(name)) {
      throw new WireException(DropReason.INVALID, what + " name " + shown(name));
    }
    return name;
  }

  /**
   * An incarnation: 0..{@link MemberUpdates#MAX_INCARNATION}. uint64 on the wire: 2^63 and above
   * arrive as negative longs and are refused with the rest, as is anything a member could not
   * outrank by refuting.
   *
   * @throws WireException INVALID otherwise
   */
  static long incarnation(long incarnation) throws WireException {
    if (incarnation < 0 || incarnation > MemberUpdates.MAX_INCARNATION) {
      throw new WireException(
          DropReason.INVALID, "incarnation " + Long.toUnsignedString(incarnation));
    }
    return incarnation;
  }

  private static MemberState state(MemberInfo info) throws WireException {
    return switch (info.getStateValue()) {
      case WireState.ALIVE_VALUE -> MemberState.ALIVE;
      case WireState.SUSPECT_VALUE -> MemberState.SUSPECT;
      case WireState.DEAD_VALUE -> MemberState.DEAD;
      case WireState.LEFT_VALUE -> MemberState.LEFT;
      default ->
          throw new WireException(DropReason.INVALID, "member state " + info.getStateValue());
    };
  }

  /**
   * Roles as an immutable list, in wire order. Up to three (agents carry three by default) through
   * {@code List.of}, which takes them without the two array copies of {@link List#copyOf}.
   */
  private static List<String> roles(List<String> roles) {
    return switch (roles.size()) {
      case 0 -> List.of();
      case 1 -> List.of(roles.get(0));
      case 2 -> List.of(roles.get(0), roles.get(1));
      case 3 -> List.of(roles.get(0), roles.get(1), roles.get(2));
      default -> List.copyOf(roles);
    };
  }

  /**
   * Reads a member's tags in one pass: their length for the metadata bound, and the first one, from
   * which the common single tag is copied without {@link Map#copyOf}'s arrays. Through {@code
   * forEach}, because iterating the read-only view protobuf hands out allocates a wrapper at every
   * step, and this runs for every member of every packet, most of them already known.
   */
  private static final class TagReader implements BiConsumer<String, String> {
    int chars;
    private String firstKey;
    private String firstValue;

    @Override
    public void accept(String key, String value) {
      chars += key.length() + value.length();
      if (firstKey == null) {
        firstKey = key;
        firstValue = value;
      }
    }

    /** An immutable copy of {@code tags}, the map this reader has read. */
    Map<String, String> copy(Map<String, String> tags) {
      return tags.size() == 1 ? Map.of(firstKey, firstValue) : Map.copyOf(tags);
    }
  }
}
