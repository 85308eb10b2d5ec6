package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Dead;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Left;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Nack;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.Suspect;
import io.hivemind.core.wire.proto.WireState;
import java.util.TreeMap;

/**
 * The records as the generated builders write them: the oracle {@link WireEncoder}'s hand-written
 * encoding is held to (WireEncoderTest), and a start for forged variants ({@link WireForgery}).
 * Named {@code Wire*} like every class allowed to touch protobuf.
 */
final class WireReference {

  private WireReference() {}

  static Message message(GossipMessage message) {
    Message.Builder out = Message.newBuilder();
    if (message instanceof GossipMessage.Ping ping) {
      out.setPing(ping(ping));
    } else if (message instanceof GossipMessage.IndirectPing request) {
      out.setIndirectPing(
          IndirectPing.newBuilder()
              .setSeq(request.seq())
              .setTarget(request.target())
              .setTargetAddress(endpoint(request.targetAddress()))
              .setNack(request.nack()));
    } else if (message instanceof GossipMessage.Ack ack) {
      out.setAck(Ack.newBuilder().setSeq(ack.seq()));
    } else if (message instanceof GossipMessage.Nack nack) {
      out.setNack(Nack.newBuilder().setSeq(nack.seq()));
    } else if (message instanceof GossipMessage.Alive alive) {
      out.setAlive(Alive.newBuilder().setMember(member(alive.member())));
    } else if (message instanceof GossipMessage.Suspect suspect) {
      out.setSuspect(
          Suspect.newBuilder()
              .setName(suspect.name())
              .setIncarnation(suspect.incarnation())
              .setFrom(suspect.from()));
    } else if (message instanceof GossipMessage.Dead dead) {
      out.setDead(
          Dead.newBuilder()
              .setName(dead.name())
              .setIncarnation(dead.incarnation())
              .setFrom(dead.from()));
    } else if (message instanceof GossipMessage.Left left) {
      out.setLeft(Left.newBuilder().setName(left.name()).setIncarnation(left.incarnation()));
    } else {
      throw new IllegalArgumentException("no encoding for " + message);
    }
    return out.build();
  }

  /** A stream frame's body on {@code frame}. */
  static StreamFrame.Builder body(StreamFrame.Builder frame, StreamMessage body) {
    if (body instanceof StreamMessage.PushPull state) {
      PushPull.Builder out = PushPull.newBuilder().setJoin(state.join());
      for (GossipMember member : state.members()) {
        out.addMembers(member(member));
      }
      frame.setPushPull(out);
    } else if (body instanceof GossipMessage.Ping ping) {
      frame.setPing(ping(ping));
    } else if (body instanceof GossipMessage.Ack ack) {
      frame.setAck(Ack.newBuilder().setSeq(ack.seq()));
    } else {
      throw new IllegalArgumentException("no encoding for " + body);
    }
    return frame;
  }

  /** A member with its roles as listed and its tags sorted, as version-1 nodes write them. */
  static MemberInfo member(GossipMember member) {
    return MemberInfo.newBuilder()
        .setName(member.name())
        .setAddress(endpoint(member.address()))
        .setIncarnation(member.incarnation())
        .setState(state(member.state()))
        .addAllRoles(member.roles())
        .putAllTags(new TreeMap<>(member.tags()))
        .setZone(member.zone())
        .build();
  }

  static Endpoint endpoint(Address address) {
    return Endpoint.newBuilder().setHost(address.host()).setPort(address.port()).build();
  }

  private static Ping ping(GossipMessage.Ping ping) {
    return Ping.newBuilder().setSeq(ping.seq()).setTarget(ping.target()).build();
  }

  private static WireState state(MemberState state) {
    return switch (state) {
      case ALIVE -> WireState.ALIVE;
      case SUSPECT -> WireState.SUSPECT;
      case DEAD -> WireState.DEAD;
      case LEFT -> WireState.LEFT;
    };
  }
}
