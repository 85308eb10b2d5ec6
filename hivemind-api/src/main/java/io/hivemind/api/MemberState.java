package io.hivemind.api;

/**
 * The state of a cluster member as one node sees it, in the vocabulary of the SWIM paper (Das et
 * al., 2002, §4.2) extended with an explicit {@code LEFT}.
 *
 * <p>{@link #DEAD} and {@link #LEFT} are both terminal for an incarnation, but they mean different
 * things: {@code DEAD} is a failure the cluster detected, {@code LEFT} is a shutdown the member
 * announced. Nothing ever turns one into the other for the same incarnation.
 */
public enum MemberState {
  /** The member answers probes, directly or through a relay. */
  ALIVE,
  /** A probe of the member failed; it has until the suspicion timeout to refute. */
  SUSPECT,
  /** The suspicion timed out without refutation: the member is considered failed. */
  DEAD,
  /** The member announced a graceful leave. */
  LEFT;

  /** Returns true for the states that still count as members of the cluster (alive or suspect). */
  public boolean isActive() {
    return this == ALIVE || this == SUSPECT;
  }
}
