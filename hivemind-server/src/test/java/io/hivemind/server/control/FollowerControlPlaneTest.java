package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain agent's follower on a manual loop, against gateways in memory: following, failover
 * without loss or duplicates, degraded mode, writes and reads through the gateway.
 */
class FollowerControlPlaneTest {

  private static final Address A = new Address("127.0.0.1", 7305);
  private static final Address B = new Address("127.0.0.2", 7305);
  private static final long HEARTBEAT_MILLIS = FollowerConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis();

  private final ManualLoop loop = new ManualLoop();
  private final MemoryGateways gateways = new MemoryGateways();
  private final List<Address> candidates = new ArrayList<>(List.of(A, B));
  private final List<Long> appliedIndexes = new ArrayList<>();
  private FollowerControlPlane follower;

  private FollowerControlPlane start() {
    follower =
        new FollowerControlPlane(
            FollowerConfig.defaults(),
            loop,
            gateways,
            () -> List.copyOf(candidates),
            new Random(1));
    follower.addListener(view -> appliedIndexes.add(view.index()));
    follower.start();
    loop.runPending();
    return follower;
  }

  @AfterEach
  void close() {
    if (follower != null) {
      follower.close();
      loop.runPending();
    }
  }

  @Test
  void follow_fromZero_reachesTheLogsViewThenFollowsLive() {
    TestLog log = TestLog.bootstrapped(100, 100);
    log.putKeys(0, 5);
    gateways.add(A, log);

    start();
    assertSameView(follower.view(), log.view());
    log.putKeys(5, 3);
    loop.runPending();

    assertSameView(follower.view(), log.view());
    assertThat(follower.status().degraded()).isFalse();
    assertThat(follower.status().leaderAddress()).isEqualTo("127.0.0.1:7303");
    assertThat(follower.stats().applied()).isEqualTo(log.index());
    // One view per batch that arrived together: the backlog, then the three live entries.
    assertThat(appliedIndexes).containsExactly(6L, 9L);
  }

  @Test
  void start_manyFollowers_spreadOverTheGateways() {
    // Each gateway relays its followers' catalogue changes: they must not all pick the first one.
    gateways.add(A, TestLog.bootstrapped(5, 5));
    gateways.add(B, TestLog.bootstrapped(5, 5));
    int onA = 0;
    for (int seed = 0; seed < 200; seed++) {
      FollowerControlPlane one =
          new FollowerControlPlane(
              FollowerConfig.defaults(), loop, gateways, () -> List.of(A, B), new Random(seed));
      one.start();
      loop.runPending();
      if (A.equals(one.gateway())) {
        onA++;
      }
      one.close();
      loop.runPending();
    }

    assertThat(onA).isBetween(70, 130);
  }

  @Test
  void follow_behindTheWindow_getsTheSnapshotThenTheEntries() {
    TestLog log = TestLog.bootstrapped(5, 5);
    log.putKeys(0, 22);
    gateways.add(A, log);

    start();

    assertSameView(follower.view(), log.view());
    // It started from a snapshot: fewer entries applied than the log holds.
    assertThat(follower.stats().applied()).isLessThan(log.index());
    assertThat(appliedIndexes).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void failover_whenTheGatewayDies_resumesOnAnotherWithoutLossOrDuplicate() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    gateways.add(B, log);
    start();
    log.putKeys(0, 3);
    loop.runPending();

    a.kill();
    log.putKeys(3, 4); // committed while the follower is between gateways
    loop.runPending();

    assertThat(follower.gateway()).isEqualTo(B);
    assertSameView(follower.view(), log.view());
    assertThat(follower.stats().applied()).as("each index once").isEqualTo(log.index());
    assertThat(follower.stats().failovers()).isEqualTo(1);
  }

  @Test
  void failover_toAGatewayThatReplaysAppliedEntries_skipsThem() {
    TestLog log = TestLog.bootstrapped(100, 100);
    log.putKeys(0, 4);
    MemoryGateways.Gateway a = gateways.add(A, log);
    MemoryGateways.Gateway b = gateways.add(B, log);
    start();
    a.kill();
    loop.runPending();
    long before = follower.view().index();

    // B resends what the follower has (as a gateway whose window started lower would).
    b.sendToAll(new GatewayMessage.Entry(before, new byte[] {1}));
    loop.runPending();

    assertThat(follower.view().index()).isEqualTo(before);
    assertThat(follower.stats().skipped()).isEqualTo(1);
    assertThat(follower.stats().applied()).isEqualTo(log.index());
  }

  @Test
  void failover_whenHeartbeatsStop_leavesTheSilentGatewayWithinTheBound() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    MemoryGateways.Gateway b = gateways.add(B, log);
    start();
    a.muted = true; // connected, but nothing arrives any more

    loop.advance(HEARTBEAT_MILLIS * FollowerConfig.DEFAULT_MISSED_HEARTBEATS);
    loop.runPending();

    assertThat(follower.stats().silentGateways()).isEqualTo(1);
    assertThat(follower.gateway()).isEqualTo(B);
    assertThat(b.connections()).isEqualTo(1);
  }

  @Test
  void heartbeats_keepTheConnection() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    start();
    for (int i = 0; i < 10; i++) {
      loop.advance(HEARTBEAT_MILLIS);
      a.heartbeat();
      loop.runPending();
    }
    assertThat(follower.stats().silentGateways()).isZero();
    assertThat(follower.gateway()).isEqualTo(A);
  }

  @Test
  void degraded_whenNoGatewayIsReachable_failsWritesFastAndKeepsTheView() {
    TestLog log = TestLog.bootstrapped(100, 100);
    log.putKeys(0, 2);
    MemoryGateways.Gateway a = gateways.add(A, log);
    start();
    candidates.remove(B);
    a.kill();
    loop.runPending();

    assertThat(follower.status().degraded()).isTrue();
    assertThat(follower.view().index()).isEqualTo(log.index());
    assertThatThrownBy(() -> follower.submit(TestLog.kvSet("x", "y")).get())
        .hasCauseInstanceOf(NoQuorumException.class);
    assertThatThrownBy(() -> follower.linearizableView().get())
        .hasCauseInstanceOf(NoQuorumException.class);
  }

  @Test
  void reconnect_backsOffExponentiallyUpToTheCap() {
    candidates.clear();
    candidates.add(A); // never registered: every connect is refused
    start();
    long maxMillis = FollowerConfig.DEFAULT_MAX_BACKOFF.toMillis();
    for (int i = 0; i < 20; i++) {
      loop.advance(maxMillis);
    }
    // 100 s of refusals: at most one attempt per half-cap (jitter), at least one per cap.
    assertThat(follower.stats().connects()).isBetween(20L, 50L);
    assertThat(loop.dueTimes()).allMatch(due -> due - loop.nowMillis() <= maxMillis);
  }

  @Test
  void degraded_whenTheGatewayKnowsNoLeader_failsWritesFast() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    a.leaderKnown = false;
    start();

    assertThat(follower.status().degraded()).isTrue();
    assertThatThrownBy(() -> follower.submit(TestLog.kvSet("x", "y")).get())
        .hasCauseInstanceOf(NoQuorumException.class);

    a.leaderKnown = true;
    a.heartbeat();
    loop.runPending();
    assertThat(follower.status().degraded()).isFalse();
  }

  @Test
  void submit_throughTheGateway_completesOnceAppliedHere() throws Exception {
    TestLog log = TestLog.bootstrapped(100, 100);
    gateways.add(A, log);
    start();

    CompletableFuture<ApplyResult> result = follower.submit(TestLog.kvSet("color", "blue"));
    loop.runPending();

    assertThat(result.get()).isInstanceOf(ApplyResult.Applied.class);
    assertThat(follower.view().kv().get("color").value())
        .isEqualTo("blue".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void submit_overTheLogsEntryLimit_isRefusedWithoutTouchingTheConnection() {
    TestLog log = TestLog.bootstrapped(100, 100);
    gateways.add(A, log);
    start();
    byte[] huge = new byte[io.hivemind.core.control.WireControlCodec.MAX_ENTRY_BYTES];

    CompletableFuture<ApplyResult> result =
        follower.submit(new io.hivemind.core.control.ControlCommand.KvSet("big", huge, 0, -1));
    loop.runPending();

    assertThatThrownBy(result::get).hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(follower.stats().failovers()).isZero();
  }

  @Test
  void linearizableView_includesEverythingCommittedBefore() throws Exception {
    TestLog log = TestLog.bootstrapped(100, 100);
    gateways.add(A, log);
    start();
    log.putKeys(0, 3);

    CompletableFuture<ControlView> read = follower.linearizableView();
    loop.runPending();

    assertThat(read.get().index()).isEqualTo(log.index());
  }

  @Test
  void pendingSubmit_whenTheGatewayDies_failsWithNoQuorum() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    start();
    a.muted = true; // the submit goes nowhere
    CompletableFuture<ApplyResult> result = follower.submit(TestLog.kvSet("x", "y"));
    loop.runPending();

    a.muted = false;
    a.kill();
    loop.runPending();

    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NoQuorumException.class);
  }

  @Test
  void gap_inTheFeed_followsAgainFromTheLastIndex() {
    TestLog log = TestLog.bootstrapped(100, 100);
    MemoryGateways.Gateway a = gateways.add(A, log);
    gateways.add(B, log);
    start();
    long before = follower.view().index();

    a.sendToAll(new GatewayMessage.Entry(before + 2, new byte[] {1}));
    loop.runPending();
    log.putKeys(0, 2);
    loop.runPending();

    assertThat(follower.stats().gaps()).isEqualTo(1);
    assertSameView(follower.view(), log.view());
    assertThat(follower.stats().applied()).isEqualTo(log.index());
  }

  @Test
  void awaitIndexAbove_completesWithTheFirstViewPastIt() throws Exception {
    TestLog log = TestLog.bootstrapped(100, 100);
    gateways.add(A, log);
    start();
    CompletableFuture<ControlView> waiting = follower.awaitIndexAbove(log.index());
    loop.runPending();
    assertThat(waiting).isNotDone();

    log.putKeys(0, 1);
    loop.runPending();

    assertThat(waiting.get().index()).isEqualTo(log.index());
  }

  @Test
  void operatorCommands_areRefusedOnAPlainAgent() {
    start();
    assertThatThrownBy(() -> follower.transferLeadership("n1").get())
        .hasCauseInstanceOf(UnsupportedOperationException.class);
  }

  private static void assertSameView(ControlView actual, ControlView expected) {
    assertThat(actual.index()).isEqualTo(expected.index());
    assertThat(actual.epoch()).isEqualTo(expected.epoch());
    assertThat(actual.cluster()).isEqualTo(expected.cluster());
    assertThat(actual.members()).isEqualTo(expected.members());
    assertThat(actual.kv().keySet()).containsExactlyElementsOf(expected.kv().keySet());
    expected
        .kv()
        .forEach((key, entry) -> assertThat(actual.kv().get(key).value()).isEqualTo(entry.value()));
  }
}
