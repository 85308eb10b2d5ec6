package io.hivemind.server.control;

import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;

/**
 * A plain agent's replica of the committed state: the same pure {@link ControlState} the voters
 * run, fed by the follow feed. Applies each index once, in order, across gateways: an entry at or
 * below the last applied index (a gateway replaying what another already sent) is skipped, and an
 * entry past the next index is a gap the feed must never have, so the follower drops the connection
 * and follows again from where it is.
 *
 * <p>Not thread-safe: owned by the follower's loop.
 */
final class FollowerReplica {

  /** What one received message did to the replica. */
  enum Outcome {
    APPLIED,
    SKIPPED,
    GAP,
    UNDECODABLE
  }

  private final RemovalPolicy policy;
  private ControlState state;
  private long skipped;

  FollowerReplica(RemovalPolicy policy) {
    this.policy = policy;
    this.state = ControlState.empty(policy);
  }

  long lastAppliedIndex() {
    return state.lastAppliedIndex();
  }

  ControlView view() {
    return state.view();
  }

  /** Entries skipped because they were applied already (a failover's overlap). */
  long skipped() {
    return skipped;
  }

  Outcome snapshot(long index, byte[] snapshotBytes) {
    if (index <= state.lastAppliedIndex()) {
      skipped++;
      return Outcome.SKIPPED; // never roll back: what we applied is committed
    }
    try {
      state = ControlState.restore(WireControlCodec.decodeSnapshot(snapshotBytes), policy);
    } catch (ControlDecodeException e) {
      return Outcome.UNDECODABLE;
    }
    return state.lastAppliedIndex() == index ? Outcome.APPLIED : Outcome.UNDECODABLE;
  }

  Outcome entry(long index, byte[] entryBytes) {
    long last = state.lastAppliedIndex();
    if (index <= last) {
      skipped++;
      return Outcome.SKIPPED;
    }
    if (index != last + 1) {
      return Outcome.GAP;
    }
    // Bytes that do not decode are refused INVALID at this index on every replica alike, so they
    // are applied, not treated as a broken feed.
    state.apply(index, entryBytes);
    return Outcome.APPLIED;
  }
}
