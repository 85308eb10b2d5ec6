package io.hivemind.core.control;

import java.util.List;

/**
 * The control plane's decision rule for failures: observers report their own probe results ({@link
 * Observation}), and the rule decides when the cluster agrees a member failed. Pure and
 * deterministic: the replicated state machine runs it inside apply, the simulator runs the same
 * code with a modelled commit delay.
 *
 * <p>Not thread-safe: owned by the thread that applies entries.
 */
public final class RemovalRule {

  private final RemovalPolicy policy;

  public RemovalRule(RemovalPolicy policy) {
    this.policy = policy;
  }

  public RemovalPolicy policy() {
    return policy;
  }

  /** Records one observation made at {@code nowMillis} (the entry's time). */
  public void observe(Observation observation, long nowMillis) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * The members to remove at {@code nowMillis}, given the admitted {@code members} (the rule needs
   * them to know how many independent observers the cluster has). A member decided here is
   * forgotten by the rule.
   */
  public List<RemovalDecision> decide(long nowMillis, List<ControlMember> members) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Drops every suspicion of, and by, {@code memberId} (it left or was removed). */
  public void forget(String memberId) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The standing suspicions, for snapshots, in a deterministic order. */
  public List<Suspicion> suspicions() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Replaces the standing suspicions with a snapshot's. */
  public void restore(List<Suspicion> suspicions) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
