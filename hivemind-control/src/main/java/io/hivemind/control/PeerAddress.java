package io.hivemind.control;

import java.util.Objects;

/**
 * A Raft peer: its id (the node's name) and the host:port of its Raft port.
 *
 * @param id the node's name
 * @param address host:port
 */
public record PeerAddress(String id, String address) {
  public PeerAddress {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (id.isBlank()) {
      throw new IllegalArgumentException("peer id must not be blank");
    }
    if (address.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException("peer address must be host:port: " + address);
    }
  }
}
