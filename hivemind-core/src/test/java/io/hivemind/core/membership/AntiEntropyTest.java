package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.LOCAL_DECLARED_DEAD;
import static io.hivemind.core.membership.MembershipEvent.Type.LOCAL_JOINED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_JOINED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_SUSPECTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Push-pull, join and its back-off (memberlist pushPullNode and mergeState). */
class AntiEntropyTest {

  private static final long SEED = 11;

  private static List<String> names(StreamMessage.PushPull state) {
    return state.members().stream().map(GossipMember::name).toList();
  }

  // ---- answering a push-pull ------------------------------------------------------------------

  @Test
  void pushPull_request_answersWithOwnStateAndMergesTheirs() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    FakePeer p1 = h.peer(1);
    FakePeer p3 = h.peer(3);
    byte[] request =
        p1.pushPull(false, p1.member(1), h.peer(2).member(1, MemberState.DEAD), p3.member(4));

    byte[] response = h.node.onStreamRequest(p1.address(), request, h.now);

    DecodedFrame frame = p1.decodeFrame(response);
    assertThat(frame.sender()).isEqualTo("n0");
    StreamMessage.PushPull state = (StreamMessage.PushPull) frame.body();
    assertThat(state.join()).isFalse();
    assertThat(state.invalidMembers()).isZero();
    assertThat(names(state)).containsExactlyInAnyOrder("n0", "p1", "p2");
    assertThat(state.members()).allSatisfy(m -> assertThat(m.state()).isEqualTo(MemberState.ALIVE));
    // Remote DEAD about a member we hold ALIVE is only a suspicion: it gets its chance to refute.
    assertThat(h.state("p2")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.member("p3").orElseThrow().incarnation()).isEqualTo(4);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED, MEMBER_JOINED);
  }

  @Test
  void pushPull_remoteSuspectAndLeft_areApplied() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    FakePeer p3 = h.peer(3);

    h.node.onStreamRequest(
        p3.address(),
        p3.pushPull(
            false, h.peer(1).member(1, MemberState.SUSPECT), h.peer(2).member(1, MemberState.LEFT)),
        h.now);

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.state("p2")).isEqualTo(MemberState.LEFT);
  }

  @Test
  void pushPull_remoteDeadAboutSelf_refutes() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer p1 = h.peer(1);

    h.node.onStreamRequest(
        p1.address(),
        p1.pushPull(
            false, new FakePeer("n0", NodeHarness.SELF_ADDRESS).member(0, MemberState.DEAD)),
        h.now);

    assertThat(h.out.eventTypes()).containsExactly(LOCAL_DECLARED_DEAD);
    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
  }

  @Test
  void pushPull_mergedChanges_areGossiped() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    int before = h.node.pendingBroadcasts();
    FakePeer p1 = h.peer(1);

    h.node.onStreamRequest(p1.address(), p1.pushPull(false, h.peer(5).member(1)), h.now);

    assertThat(h.node.pendingBroadcasts()).isEqualTo(before + 1);
  }

  @Test
  void pushPull_whileLeaving_closesWithoutAnswer() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.node.leave(h.now);
    FakePeer p1 = h.peer(1);

    assertThat(h.node.onStreamRequest(p1.address(), p1.pushPull(false, p1.member(1)), h.now))
        .isNull();
  }

  // ---- joining --------------------------------------------------------------------------------

  @Test
  void join_seeds_opensJoinStreamToEachOtherSeed() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.join(List.of(h.peer(1).address(), h.peer(2).address(), NodeHarness.SELF_ADDRESS), h.now);

    assertThat(h.out.streams)
        .extracting(RecordingOutput.OpenedStream::to)
        .containsExactly(h.peer(1).address(), h.peer(2).address());
    assertThat(h.out.streams)
        .allSatisfy(
            s -> {
              assertThat(s.pushPull().join()).isTrue();
              assertThat(names(s.pushPull())).contains("n0");
            });
    assertThat(h.node.isJoined()).isFalse();
  }

  @Test
  void join_seedAnswers_emitsLocalJoinedOnceAndLearnsItsView() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer p1 = h.peer(1);
    FakePeer p2 = h.peer(2);
    h.node.join(List.of(p1.address(), p2.address()), h.now);
    int pendingBefore = h.node.pendingBroadcasts();

    h.node.onStreamResponse(
        h.out.streams.get(0).streamId(),
        p1.pushPull(false, p1.member(1), p2.member(1), h.peer(3).member(2)),
        h.now);
    h.node.onStreamResponse(
        h.out.streams.get(1).streamId(), p2.pushPull(false, p1.member(1), p2.member(1)), h.now);

    assertThat(h.node.isJoined()).isTrue();
    assertThat(h.out.eventTypes()).containsOnlyOnce(LOCAL_JOINED);
    assertThat(h.out.eventTypes().stream().filter(MEMBER_JOINED::equals)).hasSize(3);
    assertThat(h.node.activeMembers()).isEqualTo(4);
    // A joiner does not re-gossip the seed's view: the cluster already knows it.
    assertThat(h.node.pendingBroadcasts()).isEqualTo(pendingBefore);
  }

  @Test
  void join_allSeedsFail_retriesWithDoublingBackoffCappedAtMax() {
    MembershipConfig config =
        MembershipConfig.lan().toBuilder()
            .joinRetryInitial(Duration.ofSeconds(1))
            .joinRetryMax(Duration.ofSeconds(4))
            .build();
    NodeHarness h = NodeHarness.started(config, SEED, 0);
    h.runUntil(10);
    h.node.join(List.of(h.peer(1).address(), h.peer(2).address()), h.now);

    for (long delay : new long[] {1_000, 2_000, 4_000, 4_000, 4_000}) {
      int opened = h.out.streams.size();
      long failedAt = h.now;
      for (RecordingOutput.OpenedStream stream : h.out.streams.subList(opened - 2, opened)) {
        h.node.onStreamFailure(stream.streamId(), failedAt);
      }

      h.runUntil(failedAt + delay - 1);
      assertThat(h.out.streams).as("before retry after %d ms", delay).hasSize(opened);
      assertThat(h.node.nextDeadlineMillis()).isEqualTo(failedAt + delay);

      h.runUntil(failedAt + delay);
      assertThat(h.out.streams).as("retry after %d ms", delay).hasSize(opened + 2);
      assertThat(h.out.streams.subList(opened, opened + 2))
          .allSatisfy(s -> assertThat(s.pushPull().join()).isTrue());
    }
    assertThat(h.node.isJoined()).isFalse();
  }

  @Test
  void join_oneSeedFailsOtherAnswers_noRetry() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer p2 = h.peer(2);
    h.node.join(List.of(h.peer(1).address(), p2.address()), h.now);

    h.node.onStreamFailure(h.out.streams.get(0).streamId(), h.now);
    h.node.onStreamResponse(h.out.streams.get(1).streamId(), p2.pushPull(false), h.now);
    h.runUntil(60_000);

    assertThat(h.node.isJoined()).isTrue();
    assertThat(h.out.streams.stream().filter(s -> s.pushPull().join())).hasSize(2);
  }

  @Test
  void join_seedNeverAnswers_streamTimeoutCountsAsFailure() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.node.join(List.of(h.peer(1).address()), h.now);
    long timeout = h.node.config().streamTimeout().toMillis();
    long retry = h.node.config().joinRetryInitial().toMillis();

    h.runUntil(timeout + retry - 1);
    assertThat(h.out.streams).hasSize(1);
    h.runUntil(timeout + retry);
    assertThat(h.out.streams).hasSize(2);
  }

  @Test
  void join_malformedResponse_countsDropAndRetries() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.node.join(List.of(h.peer(1).address()), h.now);

    h.node.onStreamResponse(h.out.streams.get(0).streamId(), new byte[] {1, 2, 3}, h.now);

    assertThat(h.node.stats().dropped(DropReason.MALFORMED)).isEqualTo(1);
    h.runUntil(h.node.config().joinRetryInitial().toMillis());
    assertThat(h.out.streams).hasSize(2);
    assertThat(h.node.isJoined()).isFalse();
  }

  // ---- periodic -------------------------------------------------------------------------------

  @Test
  void periodicSync_withinPushPullInterval_exchangesWithAnAliveMember() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.allResponsive();

    h.runUntil(h.node.config().pushPullIntervalMillis(2) + 1);

    assertThat(h.out.streams)
        .anySatisfy(
            s -> {
              assertThat(s.to()).isEqualTo(h.peer(1).address());
              assertThat(s.pushPull().join()).isFalse();
            });
  }

  @Test
  void reconnect_deadMember_getsPushPullWithinReconnectInterval() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.runUntil(h.node.config().reconnectInterval().toMillis() + 1);

    assertThat(h.out.streams).anySatisfy(s -> assertThat(s.to()).isEqualTo(h.peer(1).address()));
  }
}
