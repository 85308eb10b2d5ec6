package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals outgoing and opens incoming bytes with the current keyring, or passes them through when
 * there is none. The keyring is swapped whole (rotation) by any thread, so it sits in a volatile
 * field and each frame uses the one it read.
 */
final class Envelope {

  private static final Logger log = LoggerFactory.getLogger(Envelope.class);

  /** A peer with another key sends on every probe: one line per peer address an interval. */
  private static final RateLimitedLog refusals = new RateLimitedLog(log);

  private final TransportStats stats;
  private volatile GossipKeyring keyring;

  Envelope(GossipKeyring keyring, TransportStats stats) {
    this.keyring = keyring;
    this.stats = stats;
  }

  void setKeyring(GossipKeyring keyring) {
    this.keyring = keyring;
  }

  boolean isEncrypted() {
    return keyring != null;
  }

  byte[] seal(FrameKind kind, byte[] plaintext) {
    GossipKeyring current = keyring;
    return current == null ? plaintext : current.seal(kind, plaintext);
  }

  /**
   * Opens {@code bytes} from {@code from}.
   *
   * @return the plaintext, or null if it failed authentication (counted, and logged once per peer
   *     an interval: a misconfigured peer would otherwise flood the log)
   */
  byte[] open(FrameKind kind, byte[] bytes, Object from) {
    GossipKeyring current = keyring;
    if (current == null) {
      return bytes;
    }
    try {
      return current.open(kind, bytes);
    } catch (UnauthenticatedFrameException e) {
      stats.droppedUnauthenticated.increment();
      refusals.warn(
          System.nanoTime(),
          String.valueOf(from),
          "refused gossip from {}: no key of this agent's keyring opens it (a peer with another"
              + " gossip key, or none)",
          from);
      log.debug("dropped {} from {}: {}", kind, from, e.getMessage());
      return null;
    }
  }
}
