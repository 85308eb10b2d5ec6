package io.hivemind.sim;

import io.hivemind.core.control.RemovalPolicy;
import java.util.Objects;

/**
 * How the simulator models the control plane (issue 10): the leader collects the nodes' own probe
 * verdicts, proposes them in batches, and each batch commits after a delay; committed removals
 * reach every node after a further delay. The decision is the real {@link
 * io.hivemind.core.control.RemovalRule}; only the Raft round trip is modelled.
 *
 * @param batchMillis the leader proposes what it collected at every multiple of this
 * @param commitDelayMillis from proposal to commit (an fsynced Raft round among the voters)
 * @param deliveryDelayMillis from commit to a node applying it (the follow feed)
 * @param confirmationProbes the nodes' {@link
 *     io.hivemind.core.membership.MembershipConfig#confirmationProbes()}: members that probe a
 *     suspect out of turn, so independent verdicts arrive within a probe interval
 * @param policy the removal rule's parameters
 */
public record ControlModel(
    long batchMillis,
    long commitDelayMillis,
    long deliveryDelayMillis,
    int confirmationProbes,
    RemovalPolicy policy) {

  /** Batches of 100 ms keep the commit rate at 10 a second whatever the observation rate. */
  public static final long DEFAULT_BATCH_MILLIS = 100;

  /** A 3-voter Ratis group on a LAN commits an fsynced batch in well under 20 ms (issue 10). */
  public static final long DEFAULT_COMMIT_DELAY_MILLIS = 20;

  /** A follower pushes a committed entry to its subscribers within a LAN round trip or two. */
  public static final long DEFAULT_DELIVERY_DELAY_MILLIS = 20;

  /**
   * One more than the observers the rule needs: one of them may draw a lost packet, and three
   * out-of-turn probes per suspicion is nothing next to a thousand members' round-robin.
   */
  public static final int DEFAULT_CONFIRMATION_PROBES = 3;

  /** The defaults above with the agents' policy. */
  public static final ControlModel DEFAULT =
      new ControlModel(
          DEFAULT_BATCH_MILLIS,
          DEFAULT_COMMIT_DELAY_MILLIS,
          DEFAULT_DELIVERY_DELAY_MILLIS,
          DEFAULT_CONFIRMATION_PROBES,
          RemovalPolicy.DEFAULT);

  public ControlModel {
    Objects.requireNonNull(policy, "policy");
    if (batchMillis < 1) {
      throw new IllegalArgumentException("batch must be >= 1 ms, got " + batchMillis);
    }
    if (confirmationProbes < 0) {
      throw new IllegalArgumentException(
          "confirmation probes must be >= 0, got " + confirmationProbes);
    }
    if (commitDelayMillis < 0 || deliveryDelayMillis < 0) {
      throw new IllegalArgumentException(
          "commit and delivery delays must be >= 0 ms, got "
              + commitDelayMillis
              + " and "
              + deliveryDelayMillis);
    }
  }

  /** This model with another commit delay. */
  public ControlModel withCommitDelayMillis(long millis) {
    return new ControlModel(batchMillis, millis, deliveryDelayMillis, confirmationProbes, policy);
  }

  /** This model with another batch interval. */
  public ControlModel withBatchMillis(long millis) {
    return new ControlModel(
        millis, commitDelayMillis, deliveryDelayMillis, confirmationProbes, policy);
  }

  /** This model with another number of confirmation probes. */
  public ControlModel withConfirmationProbes(int value) {
    return new ControlModel(batchMillis, commitDelayMillis, deliveryDelayMillis, value, policy);
  }

  /** This model with another removal policy. */
  public ControlModel withPolicy(RemovalPolicy value) {
    return new ControlModel(
        batchMillis, commitDelayMillis, deliveryDelayMillis, confirmationProbes, value);
  }
}
