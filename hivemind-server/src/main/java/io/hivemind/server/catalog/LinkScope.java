package io.hivemind.server.catalog;

/**
 * What one catalogue link may carry each way (docs/protocol/catalogue.md, "Links"). The rules are
 * what stops a node from writing another owner's registrations: a follower is trusted only for its
 * own, declared, identity; control nodes relay owners' changes, which carry the owners' versions.
 */
public enum LinkScope {
  /**
   * A plain agent's link to its control node's gateway, seen from the agent: it sends only its own
   * instances and accepts every owner's (the gateway relays them all).
   */
  UPLINK,
  /**
   * A follower's link, seen from the gateway: it accepts only the owner the follower declared when
   * it followed, and sends every owner's.
   */
  FOLLOWER,
  /** A link between two control nodes: every owner's, both ways. */
  MESH;

  /** Whether changes of {@code owner} received on a link to {@code peerId} are accepted. */
  boolean accepts(String owner, String peerId) {
    return this != FOLLOWER || owner.equals(peerId);
  }

  /** Whether changes of {@code owner} are sent on this link by a node that is {@code self}. */
  boolean sends(String owner, String self) {
    return this != UPLINK || owner.equals(self);
  }
}
