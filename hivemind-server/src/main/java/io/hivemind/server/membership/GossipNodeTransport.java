package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.GossipTransport;
import io.hivemind.server.transport.TransportStats;

/** The {@link NodeTransport} of the agent: UDP and TCP through a {@link GossipTransport}. */
record GossipNodeTransport(GossipTransport transport) implements NodeTransport {

  @Override
  public int port() {
    return transport.port();
  }

  @Override
  public void sendPacket(Address to, byte[] packet) {
    transport.sendPacket(to, packet);
  }

  @Override
  public void openStream(Address to, long streamId, byte[] request) {
    transport.openStream(to, streamId, request);
  }

  @Override
  public TransportStats stats() {
    return transport.stats();
  }

  @Override
  public void setKeyring(GossipKeyring keyring) {
    transport.setKeyring(keyring);
  }

  @Override
  public void close() {
    transport.close();
  }
}
