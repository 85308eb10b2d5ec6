package io.hivemind.core.state;

import java.util.Objects;

/** The answer to one {@link StateOp}, the same whichever node the request reached. */
public sealed interface StateResult {

  /** A get found the key. {@code expiresAtMillis} is 0 when the entry has no TTL. */
  record Found(byte[] value, long version, long expiresAtMillis) implements StateResult {
    public Found {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A get found no live entry for the key. */
  record Absent() implements StateResult {}

  /** A put or compare-and-set was applied and acknowledged by the required backups. */
  record Written(long version) implements StateResult {}

  /** A delete was applied and acknowledged; {@code existed} says whether there was an entry. */
  record Deleted(boolean existed) implements StateResult {}

  /** A compare-and-set found another version ({@code currentVersion}, 0 when absent). */
  record Conflict(long currentVersion) implements StateResult {}

  /**
   * Fencing: the node that answered is not the owner of the key's partition at its table version
   * {@code tableVersion}; {@code ownerId} is, by that table ("" when the partition has no owner).
   */
  record Redirect(String ownerId, long tableVersion) implements StateResult {
    public Redirect {
      Objects.requireNonNull(ownerId, "ownerId");
    }
  }

  /**
   * The operation could not be served now, nothing is known to have changed for a read, and a write
   * may or may not have been applied (as with any timeout); retrying is safe for put and delete.
   * {@code reason} is one sentence for a person.
   */
  record Unavailable(UnavailableReason code, String reason) implements StateResult {
    public Unavailable {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a request was not served. */
  enum UnavailableReason {
    /** No committed partition table yet. */
    NO_TABLE,
    /** The partition has no replica left (every replica was removed at once). */
    NO_OWNER,
    /** The owner's lease on the table lapsed: it cannot reach the control plane's quorum. */
    NO_LEASE,
    /** Fewer backups than required acknowledged the write in time. */
    BACKUP_TIMEOUT,
    /** The owner did not answer a forwarded request in time. */
    TIMEOUT,
    /** Too many requests are waiting on this node. */
    OVERLOADED
  }
}
