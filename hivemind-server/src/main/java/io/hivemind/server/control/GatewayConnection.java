package io.hivemind.server.control;

import io.hivemind.core.control.GatewayMessage;

/** One connection to a control gateway. Thread-safe; nothing blocks. */
public interface GatewayConnection {

  /** Queues {@code message} to the gateway; dropped when the connection is closed. */
  void send(GatewayMessage message);

  /** Closes the connection; the listener hears {@code onClosed} (once, as always). */
  void close();

  /**
   * Hears one connection's life, one call at a time (on the connection's thread, not the
   * follower's: an implementation hops to its own thread).
   */
  interface Listener {

    void onOpen();

    /** A decoded message from the gateway (the connection closes itself on undecodable bytes). */
    void onMessage(GatewayMessage message);

    /** The connection is gone or never opened; {@code reason} is for the log. */
    void onClosed(String reason);
  }
}
