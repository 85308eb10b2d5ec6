package io.hivemind.core.membership;

import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import java.util.List;
import java.util.Map;

/**
 * Messages no correct node sends, built from the generated protobuf types because the records
 * cannot express them (an empty host, a port out of range, no body): what a forged or corrupt
 * packet carries. Named {@code Wire*} like every class allowed to touch protobuf.
 */
final class WireForgery {

  private WireForgery() {}

  /** {@code member} as the wire has it, to change into something invalid. */
  static MemberInfo.Builder info(GossipMember member) {
    return WireReference.member(member).toBuilder();
  }

  static EncodedMessage alive(MemberInfo.Builder member) {
    return encoded(Message.newBuilder().setAlive(Alive.newBuilder().setMember(member)));
  }

  /**
   * An Alive about {@code member} listing roles and tags in the given order, where our encoder
   * would sort them: what another process (or an older build) may send.
   */
  static EncodedMessage aliveListing(
      GossipMember member, List<String> roles, Map<String, String> tags, String zone) {
    return alive(
        info(member).clearRoles().addAllRoles(roles).clearTags().putAllTags(tags).setZone(zone));
  }

  /** An Alive whose member has address {@code host}:{@code port}, unchecked. */
  static EncodedMessage aliveAt(GossipMember member, String host, int port) {
    return alive(info(member).setAddress(Endpoint.newBuilder().setHost(host).setPort(port)));
  }

  static EncodedMessage indirectPing(int seq, String target, String host, int port) {
    return encoded(
        Message.newBuilder()
            .setIndirectPing(
                IndirectPing.newBuilder()
                    .setSeq(seq)
                    .setTarget(target)
                    .setTargetAddress(Endpoint.newBuilder().setHost(host).setPort(port))));
  }

  /** A message with no body: what a later version's message kind looks like to version 1. */
  static EncodedMessage empty() {
    return encoded(Message.newBuilder());
  }

  static EncodedMessage encoded(Message.Builder message) {
    return new EncodedMessage(message.build().toByteArray());
  }
}
