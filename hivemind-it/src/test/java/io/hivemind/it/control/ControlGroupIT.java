package io.hivemind.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three control nodes on loopback: one leader, and every replica applies what was committed. */
class ControlGroupIT {

  @TempDir Path root;
  private ControlNodes nodes;

  @AfterEach
  void closeNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void threeNodes_electOneLeader_andReportTheGroup() {
    nodes = ControlNodes.form(3, root);

    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));

    ControlStatus status = nodes.node("n1").status();
    assertThat(status.degraded()).isFalse();
    assertThat(status.term()).isPositive();
    assertThat(status.leaderAddress()).isEqualTo(leader.address());
    assertThat(status.peers()).extracting(ControlPeer::id).containsExactly("n1", "n2", "n3");
    assertThat(status.peers()).allMatch(ControlPeer::voter);
    assertThat(status.peers()).filteredOn(ControlPeer::leader).hasSize(1);
  }

  @Test
  void submittedCommands_appearInEveryReplicasView() throws Exception {
    nodes = ControlNodes.form(3, root);
    nodes.awaitLeader(Duration.ofSeconds(15));
    RatisControlPlane follower =
        nodes.running().stream().filter(p -> p != nodes.agreedLeader()).findFirst().orElseThrow();

    ApplyResult first =
        follower.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    ApplyResult last = null;
    for (int i = 0; i < 20; i++) {
      last = follower.submit(kvSet("k" + i, "v" + i)).get(5, TimeUnit.SECONDS);
    }

    assertThat(first).isInstanceOf(ApplyResult.Applied.class);
    assertThat(last).isInstanceOf(ApplyResult.Applied.class);
    long index = last.index();
    for (RatisControlPlane plane : nodes.running()) {
      assertThat(plane.awaitIndexAbove(index - 1).get(5, TimeUnit.SECONDS).index())
          .isGreaterThanOrEqualTo(index);
    }
  }

  @Test
  void linearizableView_onAFollower_includesTheLastAcknowledgedWrite() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    ApplyResult written = leader.submit(kvSet("x", "1")).get(5, TimeUnit.SECONDS);

    for (RatisControlPlane plane : nodes.running()) {
      assertThat(plane.linearizableView().get(5, TimeUnit.SECONDS).index())
          .isGreaterThanOrEqualTo(written.index());
    }
  }

  @Test
  void leadersOwnWrites_goStraightToItsDivision_andFollowersWritesThroughTheClient()
      throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    RatisControlPlane follower =
        nodes.running().stream().filter(p -> p != leader).findFirst().orElseThrow();
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    long leaderBefore = leader.localProposals();

    ApplyResult onLeader = leader.submit(kvSet("a", "1")).get(5, TimeUnit.SECONDS);
    ApplyResult onFollower = follower.submit(kvSet("b", "2")).get(5, TimeUnit.SECONDS);

    assertThat(onLeader).isInstanceOf(ApplyResult.Applied.class);
    assertThat(onFollower).isInstanceOf(ApplyResult.Applied.class);
    assertThat(leader.localProposals()).isEqualTo(leaderBefore + 1);
    assertThat(follower.localProposals()).isZero();
    assertThat(follower.awaitIndexAbove(onFollower.index() - 1).get(5, TimeUnit.SECONDS).kv())
        .containsKeys("a", "b");
  }

  @Test
  void formerLeader_afterATransfer_proposesThroughTheClient() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    String next =
        java.util.stream.Stream.of("n1", "n2", "n3")
            .filter(id -> nodes.node(id) != leader)
            .findFirst()
            .orElseThrow();
    leader.transferLeadership(next).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !leader.isLeader());
    long before = leader.localProposals();

    ApplyResult written = leader.submit(kvSet("moved", "v")).get(10, TimeUnit.SECONDS);

    assertThat(written).isInstanceOf(ApplyResult.Applied.class);
    assertThat(leader.localProposals()).isEqualTo(before);
  }

  @Test
  void listener_seesEachNewView() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    RatisControlPlane other =
        nodes.running().stream().filter(p -> p != leader).findFirst().orElseThrow();
    java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
    other.addListener(view -> seen.set(view.index()));

    ApplyResult written =
        leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.get() >= written.index());
  }

  @Test
  void close_isIdempotent_failsWaiters_andLaterCallsFailWithoutBlocking() throws Exception {
    nodes = ControlNodes.form(3, root);
    nodes.awaitLeader(Duration.ofSeconds(15));
    RatisControlPlane n1 = nodes.node("n1");
    var waiting = n1.awaitIndexAbove(1_000_000);

    nodes.close("n1");
    n1.close();

    assertThat(waiting).isCompletedExceptionally();
    assertThat(n1.submit(kvSet("late", "v"))).isCompletedExceptionally();
    assertThat(n1.status().degraded()).isTrue();
    assertThat(n1.transferLeadership("n2")).isCompletedExceptionally();
  }

  static ControlCommand kvSet(String key, String value) {
    return new ControlCommand.KvSet(key, value.getBytes(StandardCharsets.UTF_8), 0, -1);
  }
}
