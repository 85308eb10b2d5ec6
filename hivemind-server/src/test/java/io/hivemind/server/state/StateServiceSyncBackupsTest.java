package io.hivemind.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.StateKeys;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateConfig;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code state_sync_backups} reaches the real node through {@link StateService#create}: the owner
 * of a partition acknowledges a write at once with 0, and holds it for its backup's ack with 1.
 */
class StateServiceSyncBackupsTest {

  private final ManualLoop loop = new ManualLoop();
  private final TablePlane plane = new TablePlane();
  private final List<StateMessage> sent = new ArrayList<>();

  @Test
  void put_noSyncBackups_acknowledgedWithoutTheBackup() {
    CompletableFuture<StateAnswer> answer = putOnOwner(0);

    assertThat(answer.getNow(null)).isNotNull();
    assertThat(answer.getNow(null).result()).isInstanceOf(StateResult.Written.class);
    assertThat(sent).as("the backup is still fed").isNotEmpty();
  }

  @Test
  void put_oneSyncBackup_heldUntilTheBackupAcks() {
    CompletableFuture<StateAnswer> answer = putOnOwner(1);

    assertThat(answer).isNotDone();
    assertThat(sent).isNotEmpty();
  }

  /** A put on a key of partition 0, which "a" (this node) owns and "b" backs up. */
  private CompletableFuture<StateAnswer> putOnOwner(int syncBackups) {
    StateConfig defaults = StateConfig.defaults();
    StateService service =
        StateService.create(
            loop,
            plane,
            () -> "a",
            id -> Optional.of(new Address("127.0.0.1", 9000)),
            Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC),
            new StateConfig(
                syncBackups,
                defaults.requestTimeoutMillis(),
                defaults.maxPendingRequests(),
                defaults.snapshotChunkBytes(),
                defaults.maxParallelStreams()));
    service.start((peer, address, message) -> sent.add(message));
    PartitionTable table =
        new PartitionTable(
            1,
            2,
            1,
            List.of(PartitionMember.onHost("a", "h1"), PartitionMember.onHost("b", "h2")),
            List.of(List.of("a", "b"), List.of("b", "a")));
    plane.commit(table);
    loop.runPending();
    String key = keyOfPartition(0, table.partitionCount());

    CompletableFuture<StateAnswer> answer =
        service.submit(new StateOp.Put("m", key, new byte[] {1}, 0), table.version());
    loop.runPending();
    return answer;
  }

  private static String keyOfPartition(int partition, int partitionCount) {
    for (int i = 0; ; i++) {
      if (StateKeys.partition("m", "k" + i, partitionCount) == partition) {
        return "k" + i;
      }
    }
  }
}
