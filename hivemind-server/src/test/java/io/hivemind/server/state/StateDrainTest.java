package io.hivemind.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.server.loop.ManualLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A graceful leave's drain on a manual loop: proposed, waited for, bounded, never failing. */
class StateDrainTest {

  private final ManualLoop loop = new ManualLoop();
  private final TablePlane plane = new TablePlane();
  private final StateDrain drain = new StateDrain(plane, loop);

  @Test
  void memberHoldingNothing_completesAtOnce_proposingNothing() {
    plane.commit(table(1, List.of("b"), List.of("b")));

    assertThat(drain.drain("a")).isDone();
    assertThat(plane.submitted).isEmpty();
  }

  @Test
  void memberHoldingPartitions_proposesDrainMember_andWaitsUntilTheTableHasNone() {
    plane.accepting = true;
    plane.commit(table(1, List.of("a", "b"), List.of("b", "a")));

    CompletableFuture<Void> drained = drain.drain("a");
    loop.advance(5 * StateDrain.POLL_MILLIS);
    assertThat(drained).isNotDone();
    assertThat(plane.submitted).containsExactly(new ControlCommand.DrainMember("a"));

    plane.commit(table(2, List.of("b"), List.of("b")));
    loop.advance(StateDrain.POLL_MILLIS);
    assertThat(drained).isDone();
  }

  @Test
  void drainThatNeverFinishes_completesAfterTheBound() {
    plane.accepting = true;
    plane.commit(table(1, List.of("a", "b"), List.of("b", "a")));

    CompletableFuture<Void> drained = drain.drain("a");
    loop.advance(StateDrain.MAX_WAIT_MILLIS - StateDrain.POLL_MILLIS);
    assertThat(drained).isNotDone();
    loop.advance(StateDrain.POLL_MILLIS);
    assertThat(drained).isDone();
  }

  @Test
  void everyOtherMemberDrainingToo_stopsWaiting_noOneCouldTakeThePartitions() {
    plane.accepting = true;
    plane.commit(table(1, List.of("a", "b"), List.of("b", "a")));

    CompletableFuture<Void> drained = drain.drain("a");
    loop.advance(2 * StateDrain.POLL_MILLIS);
    assertThat(drained).as("b may still take them").isNotDone();

    plane.commit(table(1, List.of("a", "b"), List.of("b", "a")), List.of("a", "b"));
    loop.advance(StateDrain.POLL_MILLIS);
    assertThat(drained).isDone();
  }

  @Test
  void drainThatCannotBeProposed_completesAtOnce() {
    plane.commit(table(1, List.of("a", "b"), List.of("b", "a")));

    assertThat(drain.drain("a")).isDone(); // no quorum: the leave goes on
  }

  private static PartitionTable table(long version, List<String> p0, List<String> p1) {
    List<PartitionMember> members =
        java.util.stream.Stream.concat(p0.stream(), p1.stream())
            .distinct()
            .sorted()
            .map(id -> PartitionMember.onHost(id, "host-" + id))
            .toList();
    return new PartitionTable(version, 2, 1, members, List.of(p0, p1));
  }
}
