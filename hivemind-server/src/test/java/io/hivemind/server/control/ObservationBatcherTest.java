package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.Observation;
import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Observations reach the log batched, through a follower's gateway. */
class ObservationBatcherTest {

  private static final Address A = new Address("127.0.0.1", 7305);

  private final ManualLoop loop = new ManualLoop();
  private final MemoryGateways gateways = new MemoryGateways();
  private final TestLog log = TestLog.bootstrapped(100, 100);
  private final MemoryGateways.Gateway gateway = gateways.add(A, log);
  private final FollowerControlPlane plane =
      new FollowerControlPlane(
          FollowerConfig.defaults(), loop, gateways, () -> List.of(A), new Random(1));
  private final ObservationBatcher batcher =
      new ObservationBatcher(plane, loop, Duration.ofMillis(200), 3);

  private static Observation suspect(String observer, String subject) {
    return new Observation(observer, subject, subject, 1, Observation.Kind.SUSPECT, 0, 0);
  }

  @Test
  void reports_withinAnInterval_goAsOneEntry() {
    plane.start();
    loop.runPending();
    long before = log.index();

    batcher.report(suspect("a", "x"));
    batcher.report(suspect("b", "x"));
    batcher.report(suspect("a", "x")); // supersedes the first
    loop.advance(200);
    loop.runPending();

    assertThat(log.index()).isEqualTo(before + 1);
    assertThat(batcher.submitted()).isEqualTo(2);
    assertThat(batcher.dropped()).isZero();
  }

  @Test
  void reports_pastTheBatchCap_areDroppedAndCounted() {
    plane.start();
    loop.runPending();
    for (int i = 0; i < 5; i++) {
      batcher.report(suspect("a", "s" + i));
    }
    loop.advance(200);
    loop.runPending();
    assertThat(batcher.submitted()).isEqualTo(3);
    assertThat(batcher.dropped()).isEqualTo(2);
  }

  @Test
  void reports_whileDegraded_areKept_andCommittedOnceALeaderIsBack() {
    gateway.leaderKnown = false;
    plane.start();
    loop.runPending();
    long before = log.index();

    batcher.report(suspect("a", "x"));
    loop.advance(1_000);

    // No quorum: nothing committed, nothing lost (a dead member is never probed again, so this
    // report may be the only one the removal rule ever gets).
    assertThat(log.index()).isEqualTo(before);
    assertThat(batcher.dropped()).isZero();
    assertThat(batcher.submitted()).isZero();

    gateway.leaderKnown = true;
    loop.advance(10_000);

    assertThat(log.index()).isGreaterThan(before);
    assertThat(batcher.submitted()).isEqualTo(1);
  }
}
