package io.hivemind.core.acl;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The control plane's tokens at one index: by accessor id (sorted, for lists and snapshots) and by
 * secret hash (the lookup every authenticated request makes). Immutable: a change makes a new
 * instance, which costs a copy of a few thousand entries at most, and tokens change rarely; a view
 * therefore shares it as it is, and a reader may cache what it resolved per instance.
 *
 * <p>Invariant: no two tokens share an accessor id or a secret hash.
 */
public final class AclTokens {

  /** No tokens: the state of a new cluster. */
  public static final AclTokens EMPTY = new AclTokens(new TreeMap<>());

  private final SortedMap<String, AclToken> byAccessor;
  private final Map<String, AclToken> bySecret;

  private AclTokens(TreeMap<String, AclToken> byAccessor) {
    this.byAccessor = Collections.unmodifiableSortedMap(byAccessor);
    Map<String, AclToken> secrets = new HashMap<>();
    for (AclToken token : byAccessor.values()) {
      secrets.put(token.secretSha256(), token);
    }
    this.bySecret = secrets;
  }

  /**
   * Tokens restored from a snapshot.
   *
   * @throws IllegalArgumentException when two share an accessor id or a secret hash
   */
  public static AclTokens of(Collection<AclToken> tokens) {
    TreeMap<String, AclToken> byAccessor = new TreeMap<>();
    for (AclToken token : tokens) {
      if (byAccessor.put(token.accessorId(), token) != null) {
        throw new IllegalArgumentException("token " + token.accessorId() + " twice");
      }
    }
    AclTokens built = new AclTokens(byAccessor);
    if (built.bySecret.size() != byAccessor.size()) {
      throw new IllegalArgumentException("two tokens share a secret");
    }
    return built;
  }

  /** The token with this accessor id, or null. */
  public AclToken byAccessor(String accessorId) {
    return byAccessor.get(accessorId);
  }

  /** The token whose secret hashes to {@code secretSha256}, or null. */
  public AclToken bySecretHash(String secretSha256) {
    return bySecret.get(secretSha256);
  }

  /** Every token, by accessor id. */
  public Collection<AclToken> all() {
    return byAccessor.values();
  }

  public int size() {
    return byAccessor.size();
  }

  /** These tokens with {@code token} added or replacing the one with its accessor id. */
  AclTokens with(AclToken token) {
    TreeMap<String, AclToken> copy = new TreeMap<>(byAccessor);
    copy.put(token.accessorId(), token);
    return new AclTokens(copy);
  }

  /** These tokens without the one with {@code accessorId} (the same instance if it is absent). */
  AclTokens without(String accessorId) {
    if (!byAccessor.containsKey(accessorId)) {
      return this;
    }
    TreeMap<String, AclToken> copy = new TreeMap<>(byAccessor);
    copy.remove(accessorId);
    return new AclTokens(copy);
  }

  /**
   * Applies an upsert committed at {@code index}: the token is created, or replaced keeping its
   * create index. The secret of another token, or one token too many, is refused.
   */
  public Change upsert(AclToken token, long index) {
    AclToken previous = byAccessor(token.accessorId());
    AclToken holder = bySecretHash(token.secretSha256());
    if (holder != null && !holder.accessorId().equals(token.accessorId())) {
      return new Change(this, "another token has this secret");
    }
    if (previous == null && size() >= AclFieldRules.MAX_TOKENS) {
      return new Change(
          this, "the control plane holds " + AclFieldRules.MAX_TOKENS + " tokens, its limit");
    }
    return new Change(with(token.committed(previous, index)), null);
  }

  /** Applies a delete: deleting an absent token changes nothing, as Consul's KV deletes. */
  public Change delete(String accessorId) {
    return new Change(without(accessorId), null);
  }

  /** Equal when they hold the same tokens: replicas that applied the same log compare equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof AclTokens that && byAccessor.equals(that.byAccessor);
  }

  @Override
  public int hashCode() {
    return byAccessor.hashCode();
  }

  /** The accessor ids only: a view may be logged. */
  @Override
  public String toString() {
    return "AclTokens" + byAccessor.keySet();
  }

  /**
   * The outcome of a change.
   *
   * @param tokens the tokens after it (the same instance when refused)
   * @param refusal null, or why it was refused
   */
  public record Change(AclTokens tokens, String refusal) {}
}
