package io.hivemind.server.state;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateOutput;
import io.hivemind.core.state.StateStats;
import java.util.List;

/**
 * What {@link StateService} drives: the methods of the core's {@code StateNode}, so the driver's
 * own work (threading, timers, routing replies) can be tested without the protocol. The shipped
 * implementation is {@link StateNodeEngine}. Called on the driver's thread only.
 */
interface StateEngine {

  /** Makes the engine of member {@code selfId}, answering through {@code output}. */
  @FunctionalInterface
  interface Factory {
    StateEngine create(String selfId, StateOutput output);
  }

  void onTable(PartitionTable table, List<MoveInFlight> inFlight, long nowMillis);

  void onLease(long untilMillis);

  void onRequest(long requestId, StateOp op, long tableVersion, long nowMillis);

  void onMessage(String fromId, StateMessage message, long nowMillis);

  void onPeerUnreachable(String peerId, long nowMillis);

  void tick(long nowMillis);

  long nextDeadlineMillis();

  StateStats stats();
}
