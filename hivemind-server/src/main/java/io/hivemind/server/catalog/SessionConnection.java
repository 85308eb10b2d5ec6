package io.hivemind.server.catalog;

import io.hivemind.core.catalog.SessionMessage;

/**
 * One client's connection to the catalogue sessions port, as the session service sees it: the
 * transport implements it over its channel. Thread-safe; neither method blocks.
 */
public interface SessionConnection {

  /** Queues {@code message} to the client. */
  void send(SessionMessage message);

  /** Sends what is queued, then closes the connection. */
  void close();

  /** The client's address, for logs. */
  String remote();
}
