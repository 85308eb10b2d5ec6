package io.hivemind.core.state;

import io.hivemind.core.partition.MoveInFlight;
import java.util.List;

/**
 * Everything a {@link StateNode} produces, called from inside its methods on the driver's thread.
 * The driver queues each call's effect (a channel write, an HTTP response, a control-plane
 * proposal) and never calls back into the node re-entrantly.
 */
public interface StateOutput {

  /** Sends {@code message} to the member {@code toId} (best effort: it may be lost). */
  void send(String toId, StateMessage message);

  /** Answers the request the driver handed in as {@code requestId}; called once per request. */
  void reply(long requestId, StateResult result);

  /**
   * Moves this node streamed as the partition's owner whose destination has now caught up: the
   * driver proposes their completion to the control plane (which commits the table that swaps the
   * destination in). Called again for a move still in flight at a later table, so a proposal lost
   * with a leader change is proposed again.
   */
  void movesCaughtUp(long tableVersion, List<MoveInFlight> moves);
}
