package io.hivemind.core.control;

/** Why the state machine refused a command; stable, so the API can map each to an error code. */
public enum RefusalCode {
  /** The log has no bootstrap entry yet (only Bootstrap may come first). */
  NOT_BOOTSTRAPPED,
  /** A second Bootstrap. */
  ALREADY_BOOTSTRAPPED,
  /** The candidate's name belongs to another admitted member. */
  NAME_TAKEN,
  /** The candidate's id was admitted (and perhaps removed) before: ids are never reused. */
  ID_REUSED,
  /** A role the candidate requires is performed by no admitted member yet; it retries. */
  ROLES_MISSING,
  /** The member to remove is not in the registry. */
  UNKNOWN_MEMBER,
  /** A KV compare-and-set found another modify index. */
  CAS_MISMATCH,
  /**
   * A lock was not taken or given back: another session holds the key, or its lock delay runs (an
   * acquire), or this session does not hold it (a release). Consul answers {@code false}.
   */
  LOCK_REFUSED,
  /** The session named does not exist (or is bound to another member than the command says). */
  NO_SESSION,
  /**
   * A KV transaction in a batch read more than the batch's answer had room left for; nothing
   * changed. The proposing control node proposes it again alone, where the room is the whole
   * budget, so a client never sees this code.
   */
  RESULTS_FULL,
  /** The entry could not be decoded or breaks a field rule (too long, empty, newer version). */
  INVALID
}
