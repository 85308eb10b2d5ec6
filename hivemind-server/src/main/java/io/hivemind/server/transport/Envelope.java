package io.hivemind.server.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals outgoing and opens incoming bytes with the current keyring, or passes them through when
 * there is none. The keyring is swapped whole (rotation) by any thread, so it sits in a volatile
 * field and each frame uses the one it read.
 */
final class Envelope {

  private static final Logger log = LoggerFactory.getLogger(Envelope.class);

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
   * @return the plaintext, or null if it failed authentication (counted and logged at debug: a
   *     misconfigured peer would otherwise flood the log)
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
      log.debug("dropped {} from {}: {}", kind, from, e.getMessage());
      return null;
    }
  }
}
