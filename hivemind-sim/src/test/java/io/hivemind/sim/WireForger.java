package io.hivemind.sim;

import io.hivemind.core.membership.Address;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Dead;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.Suspect;
import io.hivemind.core.wire.proto.WireEnvironment;
import io.hivemind.core.wire.proto.WireState;

/**
 * Datagrams a forger outside the cluster sends: plaintext packets of the simulated cluster (version
 * 1, cluster {@value SimCluster#CLUSTER_NAME}, development), built from the generated wire types
 * because the core's codec will not build what no correct node sends.
 */
final class WireForger {

  private WireForger() {}

  static byte[] suspect(String sender, String name, long incarnation) {
    return packet(
        sender,
        Message.newBuilder()
            .setSuspect(
                Suspect.newBuilder().setName(name).setIncarnation(incarnation).setFrom(sender))
            .build());
  }

  static byte[] dead(String sender, String name, long incarnation) {
    return packet(
        sender,
        Message.newBuilder()
            .setDead(Dead.newBuilder().setName(name).setIncarnation(incarnation).setFrom(sender))
            .build());
  }

  /** An Alive about {@code name} at {@code address}, incarnation {@code incarnation}. */
  static byte[] alive(String sender, String name, Address address, long incarnation) {
    return packet(sender, aliveMessage(name, address, incarnation));
  }

  static Message aliveMessage(String name, Address address, long incarnation) {
    MemberInfo member =
        MemberInfo.newBuilder()
            .setName(name)
            .setAddress(Endpoint.newBuilder().setHost(address.host()).setPort(address.port()))
            .setIncarnation(incarnation)
            .setState(WireState.ALIVE)
            .build();
    return Message.newBuilder().setAlive(Alive.newBuilder().setMember(member)).build();
  }

  static byte[] packet(String sender, Message... messages) {
    Packet.Builder packet =
        Packet.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setVersion(1)
                    .setCluster(SimCluster.CLUSTER_NAME)
                    .setEnvironment(WireEnvironment.DEVELOPMENT)
                    .setSender(sender));
    for (Message message : messages) {
      packet.addMessages(message);
    }
    return packet.build().toByteArray();
  }
}
