package io.hivemind.server.state;

import io.hivemind.core.membership.Address;
import io.hivemind.core.state.StateMessage;

/** Moves a message to a peer's state listener (the transport); best effort, from any thread. */
@FunctionalInterface
public interface StateSender {
  void send(String peerId, Address address, StateMessage message);
}
