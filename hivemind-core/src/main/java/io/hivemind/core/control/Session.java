package io.hivemind.core.control;

import java.util.Objects;

/**
 * A Consul session (docs/sessions.md): a lock holder bound to an admitted member, ended by its
 * destruction, by its member's committed removal or departure, or by its TTL running out twice over
 * without a renewal (Consul's multiplier). Immutable.
 *
 * @param id the session's id (a UUID the proposing agent chose)
 * @param name a label for people, possibly ""
 * @param node the name of the admitted member the session is bound to
 * @param behavior what its invalidation does to the keys it holds
 * @param ttlMillis its TTL, 0 for none
 * @param lockDelayMillis how long a key it held cannot be acquired after its invalidation
 * @param createIndex the log index that created it (Consul's {@code CreateIndex} and {@code
 *     ModifyIndex}: a session never changes)
 * @param renewedAtMillis the entry time of its creation or last renewal, moved on by the time the
 *     control plane had no leader ({@link SessionTable#atTime})
 */
public record Session(
    String id,
    String name,
    String node,
    SessionBehavior behavior,
    long ttlMillis,
    long lockDelayMillis,
    long createIndex,
    long renewedAtMillis) {

  /** Consul invalidates a TTL session only once twice its TTL passed without a renewal. */
  public static final int TTL_MULTIPLIER = 2;

  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(behavior, "behavior");
  }

  /** Whether it has a TTL and that TTL has run out (twice) at {@code timeMillis}. */
  public boolean expiredAt(long timeMillis) {
    return ttlMillis > 0 && timeMillis - renewedAtMillis > TTL_MULTIPLIER * ttlMillis;
  }

  /** This session renewed at {@code timeMillis}. */
  Session renewedAt(long timeMillis) {
    return new Session(
        id,
        name,
        node,
        behavior,
        ttlMillis,
        lockDelayMillis,
        createIndex,
        Math.max(renewedAtMillis, timeMillis));
  }
}
