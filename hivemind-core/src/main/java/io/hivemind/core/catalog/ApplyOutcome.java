package io.hivemind.core.catalog;

/** What a replica did with an owner's delta or state. Only {@link #APPLIED} is passed on. */
public enum ApplyOutcome {
  /** It was newer than what the replica held and now is held. */
  APPLIED,
  /** The replica already held this version or a newer one in the same generation. */
  DUPLICATE,
  /** It belongs to an older generation of its owner than the replica holds. */
  STALE,
  /**
   * The replica misses changes before it (or holds an older generation): it needs the owner's whole
   * state, which a digest exchange brings.
   */
  GAP,
  /** Its owner is not an admitted member (yet, or any more): nothing is held for it. */
  UNKNOWN_OWNER
}
