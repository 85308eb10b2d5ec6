package io.hivemind.core.membership;

import com.google.protobuf.ByteString;
import io.hivemind.api.Environment;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.WireState;
import java.util.List;

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

  MemberInfo info(long incarnation) {
    return info(incarnation, WireState.ALIVE);
  }

  MemberInfo info(long incarnation, WireState state) {
    return MemberInfo.newBuilder()
        .setName(name())
        .setAddress(WireCodec.endpoint(address()))
        .setIncarnation(incarnation)
        .setState(state)
        .build();
  }

  ByteString alive(long incarnation) {
    return WireCodec.alive(info(incarnation));
  }

  byte[] packet(ByteString... messages) {
    return codec.packet(List.of(messages));
  }

  byte[] pushPull(boolean join, MemberInfo... members) {
    return codec.frame(
        StreamFrame.newBuilder()
            .setPushPull(PushPull.newBuilder().setJoin(join).addAllMembers(List.of(members))));
  }
}
