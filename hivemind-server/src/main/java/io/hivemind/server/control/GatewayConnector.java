package io.hivemind.server.control;

import io.hivemind.core.membership.Address;

/**
 * Opens connections to control gateways: the seam between {@link FollowerControlPlane} and the
 * sockets (the transport's {@code ControlGatewayClient}; an in-memory one in tests).
 */
public interface GatewayConnector extends AutoCloseable {

  /**
   * Starts connecting to the gateway at {@code address}; never blocks. The listener hears {@link
   * GatewayConnection.Listener#onOpen} once connected, then messages, and always, exactly once,
   * {@link GatewayConnection.Listener#onClosed} (a failed connect too).
   */
  GatewayConnection connect(Address address, GatewayConnection.Listener listener);

  @Override
  void close();
}
