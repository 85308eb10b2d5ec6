package io.hivemind.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.StateKeys;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateOutput;
import io.hivemind.core.state.StateResult;
import io.hivemind.core.state.StateStats;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The driver on a manual loop, with a recording node: what reaches the node, and when. */
class StateServiceTest {

  private static final long EPOCH = 1_700_000_000_000L;

  private final ManualLoop loop = new ManualLoop();
  private final TablePlane plane = new TablePlane();
  private final Recording engine = new Recording();
  private String selfId = "a";
  private final List<String> sent = new ArrayList<>();
  private final StateService service =
      new StateService(
          loop,
          plane,
          () -> selfId,
          id ->
              id.equals("nowhere") ? Optional.empty() : Optional.of(new Address("127.0.0.1", 9000)),
          new LoopClock(loop),
          (id, output) -> {
            engine.self = id;
            engine.output = output;
            return engine;
          });

  StateServiceTest() {
    service.start((peer, address, message) -> sent.add(peer + "@" + address + " " + message));
  }

  @Test
  void tables_reachTheNodeOnceEach_inVersionOrder() {
    plane.commit(table(1, "a", "b"));
    plane.commit(table(1, "a", "b"));
    plane.commit(table(2, "b", "a"));
    loop.runPending();

    assertThat(engine.tables).containsExactly(1L, 2L);
    assertThat(engine.self).isEqualTo("a");
  }

  @Test
  void lease_isRenewedEachSecond_onlyWhileTheControlPlaneHasAQuorum() {
    loop.runPending();
    assertThat(engine.leases).containsExactly(EPOCH + StateService.LEASE_MILLIS);

    plane.degraded = true;
    loop.advance(3 * StateService.LEASE_RENEW_MILLIS);
    assertThat(engine.leases).hasSize(1);

    plane.degraded = false;
    loop.advance(StateService.LEASE_RENEW_MILLIS);
    assertThat(engine.leases)
        .hasSize(2)
        .last()
        .isEqualTo(EPOCH + 4 * StateService.LEASE_RENEW_MILLIS + StateService.LEASE_MILLIS);
  }

  @Test
  void request_isAnsweredByTheNodesReply_withItsTableAndOwner() throws Exception {
    plane.commit(table(3, "a", "b"));
    StateOp.Get get = new StateOp.Get("m", "k");
    engine.answer = new StateResult.Found(new byte[] {1}, 7, 0);

    CompletableFuture<StateAnswer> answer = service.submit(get, 2);
    loop.runPending();

    StateAnswer done = answer.getNow(null);
    assertThat(done).isNotNull();
    assertThat(done.result()).isEqualTo(engine.answer);
    assertThat(done.tableVersion()).isEqualTo(3);
    String owner = ownerOf(table(3, "a", "b"), get);
    assertThat(done.ownerId()).isEqualTo(owner);
    assertThat(done.forwarded()).isEqualTo(!owner.equals("a"));
    assertThat(engine.requests).containsExactly("1 2");
    assertThat(service.stats().requests()).containsEntry("get found", 1L);
  }

  @Test
  void request_beforeThisAgentHasAMemberId_isUnavailableWithoutTheNode() {
    selfId = null;
    CompletableFuture<StateAnswer> answer = service.submit(new StateOp.Delete("m", "k"), 0);
    loop.runPending();

    assertThat(answer.getNow(null).result())
        .isInstanceOfSatisfying(
            StateResult.Unavailable.class,
            u -> assertThat(u.code()).isEqualTo(StateResult.UnavailableReason.NO_TABLE));
    assertThat(engine.requests).isEmpty();
  }

  @Test
  void tick_runsAtTheNodesNextDeadline() {
    loop.runPending();
    engine.deadline = EPOCH + 250;
    plane.commit(table(1, "a", "b")); // any call makes the driver read the deadline
    loop.runPending();

    loop.advance(249);
    assertThat(engine.ticks).isEmpty();
    engine.deadline = Long.MAX_VALUE;
    loop.advance(1);
    assertThat(engine.ticks).containsExactly(EPOCH + 250);
  }

  /** Regression: Long.MIN_VALUE - now overflowed into a delay of ages, and ticks stopped. */
  @Test
  void tick_atADeadlineLongPast_runsAtOnce_andLaterDeadlinesStillRun() {
    loop.runPending();
    engine.deadline = Long.MIN_VALUE; // the node before its first purge
    engine.deadlineAfterTick = Long.MAX_VALUE; // as the node's tick moves its purge on
    plane.commit(table(1, "a", "b"));
    loop.runPending();
    assertThat(engine.ticks).containsExactly(EPOCH);

    engine.deadline = EPOCH + 100;
    plane.commit(table(2, "a", "b"));
    loop.runPending();
    engine.deadline = Long.MAX_VALUE;
    loop.advance(100);
    assertThat(engine.ticks).containsExactly(EPOCH, EPOCH + 100);
  }

  @Test
  void close_answersOpenRequestsUnavailable_andLaterOnesAtOnce() {
    loop.runPending();
    engine.answer = null; // the node holds the request open
    CompletableFuture<StateAnswer> open = service.submit(new StateOp.Get("m", "k"), 0);
    loop.runPending();

    service.close(); // on the loop's thread: it queues the closing and does not wait
    loop.runPending();

    assertThat(open.getNow(null).result()).isInstanceOf(StateResult.Unavailable.class);
    assertThat(service.submit(new StateOp.Get("m", "k"), 0).getNow(null).result())
        .isInstanceOf(StateResult.Unavailable.class);
  }

  @Test
  void memberIdRenewed_startsANewNode() {
    loop.runPending();
    Recording first = engine;
    selfId = "a2";
    plane.commit(table(1, "a2", "b"));
    loop.runPending();

    assertThat(first.self).isEqualTo("a2"); // the factory was asked again, for the new id
    assertThat(engine.tables).containsExactly(1L);
  }

  @Test
  void sendsToAPeerWithoutAnAddress_reportItOncePerBackoff_notOncePerMessage() {
    loop.runPending();
    StateMessage ack = new StateMessage.BackupAck(1, 2);

    for (int i = 0; i < 1_000; i++) {
      engine.output.send("nowhere", ack); // a stream's chunks, say
    }
    loop.runPending();
    assertThat(engine.unreachable).containsExactly("nowhere");
    assertThat(service.stats().noAddress()).isEqualTo(1_000);

    loop.advance(StateService.NO_ADDRESS_BACKOFF_MILLIS);
    engine.output.send("nowhere", ack);
    loop.runPending();
    assertThat(engine.unreachable).containsExactly("nowhere", "nowhere");
  }

  @Test
  void nodesMessages_goToThePeersAnnouncedAddress_orReportItUnreachable() {
    loop.runPending();
    StateMessage ack = new StateMessage.BackupAck(1, 2);

    engine.output.send("b", ack);
    engine.output.send("nowhere", ack);
    loop.runPending();

    assertThat(sent).containsExactly("b@127.0.0.1:9000 " + ack);
    assertThat(engine.unreachable).containsExactly("nowhere");
    assertThat(service.stats().noAddress()).isEqualTo(1);
    assertThat(service.stats().messages()).containsEntry("sent BackupAck", 2L);
  }

  @Test
  void peersMessagesAndFailures_reachTheNodeOnItsLoop() {
    loop.runPending();
    StateMessage ack = new StateMessage.BackupAck(1, 2);

    service.deliver("b", ack);
    service.peerUnreachable("c");
    assertThat(engine.messages).isEmpty(); // queued, never inline
    loop.runPending();

    assertThat(engine.messages).containsExactly("b " + ack);
    assertThat(engine.unreachable).containsExactly("c");
  }

  @Test
  void movesCaughtUp_areProposedAsCompleteMoves() {
    loop.runPending();
    List<MoveInFlight> moves = List.of(new MoveInFlight(new PartitionMove(0, 1, "b", "c"), 3));

    engine.output.movesCaughtUp(4, moves);

    assertThat(plane.submitted)
        .containsExactly(new io.hivemind.core.control.ControlCommand.CompleteMoves(4, moves));
  }

  @Test
  void movesCaughtUpWhileAProposalIsOut_goInTheNextOne_together() {
    loop.runPending();
    MoveInFlight first = new MoveInFlight(new PartitionMove(0, 1, "b", "c"), 3);
    MoveInFlight second = new MoveInFlight(new PartitionMove(1, 1, "a", "c"), 3);
    MoveInFlight third = new MoveInFlight(new PartitionMove(2, 0, null, "c"), 5);

    engine.output.movesCaughtUp(4, List.of(first));
    engine.output.movesCaughtUp(4, List.of(second));
    engine.output.movesCaughtUp(5, List.of(third));
    assertThat(plane.submitted).hasSize(1);

    loop.runPending(); // the first proposal's answer arrives on the loop
    assertThat(plane.submitted)
        .containsExactly(
            new io.hivemind.core.control.ControlCommand.CompleteMoves(4, List.of(first)),
            new io.hivemind.core.control.ControlCommand.CompleteMoves(5, List.of(second, third)));
  }

  private static String ownerOf(PartitionTable table, StateOp op) {
    int partition = StateKeys.partition(op.map(), op.key(), table.partitionCount());
    return table.owner(partition).orElseThrow();
  }

  /** Two partitions: 0 owned by {@code first}, 1 by {@code second}, each backed by the other. */
  private static PartitionTable table(long version, String first, String second) {
    List<PartitionMember> members =
        List.of(PartitionMember.onHost(first, "h1"), PartitionMember.onHost(second, "h2"));
    List<PartitionMember> sorted =
        members.stream().sorted((x, y) -> x.id().compareTo(y.id())).toList();
    return new PartitionTable(
        version, 2, 1, sorted, List.of(List.of(first, second), List.of(second, first)));
  }

  /** What the driver called, answering requests with {@link #answer} at once when set. */
  private static final class Recording implements StateEngine {
    String self;
    StateOutput output;
    StateResult answer = new StateResult.Absent();
    long deadline = Long.MAX_VALUE;
    Long deadlineAfterTick;
    final List<Long> tables = new ArrayList<>();
    final List<Long> leases = new ArrayList<>();
    final List<String> requests = new ArrayList<>();
    final List<Long> ticks = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final List<String> unreachable = new ArrayList<>();

    @Override
    public void onTable(PartitionTable table, List<MoveInFlight> inFlight, long nowMillis) {
      tables.add(table.version());
    }

    @Override
    public void onLease(long untilMillis) {
      leases.add(untilMillis);
    }

    @Override
    public void onRequest(long requestId, StateOp op, long tableVersion, long nowMillis) {
      requests.add(requestId + " " + tableVersion);
      if (answer != null) {
        output.reply(requestId, answer);
      }
    }

    @Override
    public void onMessage(String fromId, StateMessage message, long nowMillis) {
      messages.add(fromId + " " + message);
    }

    @Override
    public void onPeerUnreachable(String peerId, long nowMillis) {
      unreachable.add(peerId);
    }

    @Override
    public void tick(long nowMillis) {
      ticks.add(nowMillis);
      if (deadlineAfterTick != null) {
        deadline = deadlineAfterTick;
      }
    }

    @Override
    public long nextDeadlineMillis() {
      return deadline;
    }

    @Override
    public StateStats stats() {
      return new StateStats(tables.isEmpty() ? 0 : tables.get(tables.size() - 1), 0, 0, 0, 0);
    }
  }

  /** The manual loop's virtual time, from a fixed epoch. */
  private static final class LoopClock extends Clock {
    private final ManualLoop loop;

    LoopClock(ManualLoop loop) {
      this.loop = loop;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(EPOCH + loop.nowMillis());
    }
  }
}
