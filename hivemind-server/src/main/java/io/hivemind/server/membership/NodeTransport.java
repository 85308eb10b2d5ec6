package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.server.transport.GossipHandler;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.TransportStats;

/**
 * What a {@link NodeDriver} sends through and a {@link MembershipService} manages: the gossip
 * transport in the agent ({@link GossipNodeTransport}), an in-memory network in tests.
 *
 * <p>Owning thread: the driver's loop, for {@link #sendPacket} and {@link #openStream}; the rest
 * from any thread. Inputs go to the {@link GossipHandler} it was bound with, on that loop, and
 * never from inside {@link #sendPacket} or {@link #openStream}.
 */
interface NodeTransport {

  /** The port bound for gossip. */
  int port();

  /** Sends one datagram; lossy, failures are only counted. */
  void sendPacket(Address to, byte[] packet);

  /** Opens a stream; its outcome reaches the handler later. */
  void openStream(Address to, long streamId, byte[] request);

  /** Live counters. */
  TransportStats stats();

  /** Replaces the keyring (rotation). */
  void setKeyring(GossipKeyring keyring);

  /** Closes every socket; idempotent. */
  void close();

  /** Binds a transport whose inputs go to {@code handler} on the driver's loop. */
  @FunctionalInterface
  interface Binder {
    NodeTransport bind(GossipHandler handler);
  }
}
