package io.hivemind.server.catalog;

/**
 * One connection to a peer replica, as replication sees it: a follower's gateway connection, a
 * gateway's follower, or a link between control nodes. Implemented by the transport (over a gateway
 * connection) and by tests (in memory).
 */
public interface CatalogLink {

  /** What the link may carry each way. */
  LinkScope scope();

  /**
   * The peer's node id: the follower's declared id on a {@link LinkScope#FOLLOWER} link (the only
   * owner accepted from it); for logs on the others.
   */
  String peerId();

  /** Whether this side opened the link: the opener starts the link's digest exchange. */
  boolean dialed();

  /**
   * Sends one encoded catalogue message. Thread-safe and never blocks; dropped when the link is
   * closed, and the link is cut off when its peer stops reading.
   */
  void send(byte[] frame);
}
