package io.hivemind.api;

/**
 * A session as {@code GET /v1/session/info/{id}} answers it, in Consul's shape: a lock holder bound
 * to a node, ended by its destruction, by its node's removal from the cluster, or by its TTL
 * (docs/sessions.md).
 *
 * @param id the session's id (a UUID)
 * @param name its label, maybe ""
 * @param node the node it is bound to
 * @param lockDelay how long, in nanoseconds, a key it held is kept from a new holder after its end
 * @param behavior {@code release} (its keys stay, unlocked) or {@code delete} (they go with it)
 * @param ttl its TTL as a Go duration ({@code "30s"}), "" for none
 * @param createIndex the control-plane log index that created it
 * @param modifyIndex the same: a session never changes
 */
public record SessionInfo(
    String id,
    String name,
    String node,
    long lockDelay,
    String behavior,
    String ttl,
    long createIndex,
    long modifyIndex) {}
