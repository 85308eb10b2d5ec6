package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A member that exists only as a codec: it builds the packets and frames a real peer would send.
 */
final class FakePeer {

  final NodeIdentity identity;
  final WireCodec codec;

  FakePeer(NodeIdentity identity) {
    this.identity = identity;
    this.codec = new WireCodec(identity);
  }

  FakePeer(String name, Address address) {
    this(NodeIdentity.of(name, address, NodeHarness.CLUSTER, NodeHarness.ENVIRONMENT));
  }

  /** The same peer speaking for another cluster or environment. */
  static FakePeer of(String name, Address address, String cluster, Environment environment) {
    return new FakePeer(NodeIdentity.of(name, address, cluster, environment));
  }

  String name() {
    return identity.name();
  }

  Address address() {
    return identity.address();
  }

  /** This peer's record, alive at {@code incarnation}, without metadata. */
  GossipMember member(long incarnation) {
    return member(incarnation, MemberState.ALIVE);
  }

  GossipMember member(long incarnation, MemberState state) {
    return GossipMember.of(name(), address(), incarnation, state);
  }

  /** This peer's record with metadata. */
  GossipMember member(long incarnation, List<String> roles, Map<String, String> tags, String zone) {
    return new GossipMember(name(), address(), incarnation, MemberState.ALIVE, roles, tags, zone);
  }

  GossipMessage.Alive alive(long incarnation) {
    return new GossipMessage.Alive(member(incarnation));
  }

  byte[] packet(GossipMessage... messages) {
    List<EncodedMessage> encoded = new ArrayList<>();
    for (GossipMessage message : messages) {
      encoded.add(WireEncoder.encode(message));
    }
    return codec.packet(encoded);
  }

  /** A packet of messages encoded elsewhere, e.g. forged ones ({@link WireForgery}). */
  byte[] packet(EncodedMessage... messages) {
    return codec.packet(List.of(messages));
  }

  byte[] pushPull(boolean join, GossipMember... members) {
    return codec.frame(new StreamMessage.PushPull(join, List.of(members)));
  }

  byte[] frame(StreamMessage body) {
    return codec.frame(body);
  }

  /** Decodes what a node sent to this peer, as this peer would. */
  DecodedFrame decodeFrame(byte[] frame) {
    try {
      return codec.decodeFrame(frame);
    } catch (WireException e) {
      throw new AssertionError("node sent an undecodable frame: " + e.getMessage(), e);
    }
  }
}
