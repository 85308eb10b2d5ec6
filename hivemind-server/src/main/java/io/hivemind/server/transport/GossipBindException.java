package io.hivemind.server.transport;

/** The gossip port could not be bound; the message names the protocol, address and reason. */
public final class GossipBindException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GossipBindException(String message, Throwable cause) {
    super(message, cause);
  }
}
