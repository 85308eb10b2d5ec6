package io.hivemind.server.http;

import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlView;
import java.util.Optional;

/**
 * {@code GET /v1/partitions} (issue 13): the partition table committed last, read from this agent's
 * replica of the control log like every control-plane read (a plain agent's follows the log too),
 * so blocking queries ({@code ?index}) wait for the next commit. Runs on the HTTP event loop.
 */
final class PartitionHandlers {

  private final AgentOperations agent;

  PartitionHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /**
   * {@code GET /v1/partitions[?partition=N]}.
   *
   * @throws ApiException 400 {@code bad_partition} for a partition that is not a number
   */
  void table(ApiRequest request) {
    long partition = QueryParams.nonNegative(request, "partition", -1);
    ControlReads.read(request, agent.control(), view -> reply(view, partition));
  }

  private static ControlReply reply(ControlView view, long partition) {
    Optional<CommittedPartitionTable> committed = view.partitionTable();
    if (committed.isEmpty()) {
      return ControlReply.json(
          404,
          ApiJson.error(
              "no_partition_table",
              "no partition table is committed yet: the leader commits one once members are"
                  + " admitted"));
    }
    int count = committed.get().table().partitionCount();
    if (partition >= count) {
      return ControlReply.json(
          400,
          ApiJson.error(
              "bad_partition",
              "partition " + partition + " does not exist: use 0 to " + (count - 1)));
    }
    return ControlReply.json(200, PartitionJson.table(committed.get(), (int) partition));
  }
}
