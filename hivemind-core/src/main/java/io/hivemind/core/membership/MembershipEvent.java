package io.hivemind.core.membership;

/**
 * What changed in one node's view of the cluster. Emitted through {@link MembershipOutput#onEvent}
 * on the node's owning thread, in the order the changes happened.
 *
 * @param member the member after the change (for the {@code LOCAL_*} types, the local node)
 * @param conflictingAddress for {@link Type#NAME_CONFLICT}, the address the other claimant
 *     announced; null for every other type
 * @param localHealth the node's Lifeguard local health score when the event was emitted (0 for
 *     events built outside a node): a probe verdict carries the health its probe was made with
 */
public record MembershipEvent(
    Type type, Member member, Address conflictingAddress, int localHealth) {

  public MembershipEvent(Type type, Member member, Address conflictingAddress) {
    this(type, member, conflictingAddress, 0);
  }

  /** An event of any type but {@link Type#NAME_CONFLICT}. */
  public MembershipEvent(Type type, Member member) {
    this(type, member, null);
  }

  /** The kinds of change. */
  public enum Type {
    /** A member became known, or came back alive after DEAD or LEFT. */
    MEMBER_JOINED,
    /** An alive member changed its address, roles, tags or zone. */
    MEMBER_UPDATED,
    /** A member became SUSPECT. */
    MEMBER_SUSPECTED,
    /** A suspect member refuted the suspicion and is ALIVE again. */
    MEMBER_RECOVERED,
    /** A member was declared DEAD (a detected failure). */
    MEMBER_FAILED,
    /** A member announced a graceful leave. */
    MEMBER_LEFT,
    /** A DEAD or LEFT member was forgotten after its reap timeout. */
    MEMBER_REAPED,
    /** The local node reached the cluster through a seed (first successful join exchange). */
    LOCAL_JOINED,
    /**
     * The local node learned that the cluster declared it DEAD (or LEFT) while it is alive. It has
     * already refuted with a higher incarnation; layers above drop the state they owned and rejoin.
     */
    LOCAL_DECLARED_DEAD,
    /**
     * This node's own probe of {@link #member} failed, directly and indirectly (not a suspicion
     * heard by gossip). Raised at the end of every failed probe round; a control plane counts the
     * node as one independent observer of the failure (issue 10).
     */
    PROBE_FAILED,
    /**
     * A member whose probe by this node had failed answered a later probe, or refuted at a higher
     * incarnation: this node's failure report about it is over.
     */
    PROBE_ANSWERED,
    /** The local node's leave has been disseminated; the driver may now stop it. */
    LOCAL_LEFT,
    /**
     * Two processes claim one name. {@link #member} is the member as this node keeps it (the
     * established one, or the local node), {@link #conflictingAddress} the other claimant's
     * address. Raised by every node that refuses an Alive moving a live member to another address
     * (the established member keeps its address; the newcomer is never accepted while it lives),
     * and by the local node when an Alive about its own name arrives from another address a second
     * time (once may be a previous life of this node; twice is another agent with our name). Worth
     * a loud log line on both sides: the operator must rename one of them.
     */
    NAME_CONFLICT
  }
}
