package io.hivemind.server.state;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateConfig;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.StateNode;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateOutput;
import io.hivemind.core.state.StateStats;
import java.util.List;

/** The core's {@link StateNode} as the driver's {@link StateEngine}: every call passed through. */
final class StateNodeEngine implements StateEngine {

  private final StateNode node;

  StateNodeEngine(String selfId, StateConfig config, StateOutput output) {
    this.node = new StateNode(selfId, config, output);
  }

  static StateEngine.Factory factory(StateConfig config) {
    return (selfId, output) -> new StateNodeEngine(selfId, config, output);
  }

  @Override
  public void onTable(PartitionTable table, List<MoveInFlight> inFlight, long nowMillis) {
    node.onTable(table, inFlight, nowMillis);
  }

  @Override
  public void onLease(long untilMillis) {
    node.onLease(untilMillis);
  }

  @Override
  public void onRequest(long requestId, StateOp op, long tableVersion, long nowMillis) {
    node.onRequest(requestId, op, tableVersion, nowMillis);
  }

  @Override
  public void onMessage(String fromId, StateMessage message, long nowMillis) {
    node.onMessage(fromId, message, nowMillis);
  }

  @Override
  public void onPeerUnreachable(String peerId, long nowMillis) {
    node.onPeerUnreachable(peerId, nowMillis);
  }

  @Override
  public void tick(long nowMillis) {
    node.tick(nowMillis);
  }

  @Override
  public long nextDeadlineMillis() {
    return node.nextDeadlineMillis();
  }

  @Override
  public StateStats stats() {
    return node.stats();
  }
}
