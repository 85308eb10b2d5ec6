package io.hivemind.it.control;

import static io.hivemind.it.control.ControlGroupIT.kvSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.control.ControlPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group's shape: five voters, leadership moved by an operator, peers removed and added. */
class ControlMembershipIT {

  @TempDir Path root;
  private ControlNodes nodes;

  @AfterEach
  void closeNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void fiveNodes_electALeader_commit_andSurviveTwoClosedVoters() throws Exception {
    nodes = ControlNodes.form(5, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);

    String leaderId = nodes.idOf(leader);
    nodes.running().stream()
        .map(nodes::idOf)
        .filter(id -> !id.equals(leaderId))
        .limit(2)
        .toList()
        .forEach(nodes::close);
    ApplyResult written = leader.submit(kvSet("three-of-five", "v")).get(10, TimeUnit.SECONDS);

    assertThat(leader.status().peers()).hasSize(5);
    for (RatisControlPlane plane : nodes.running()) {
      assertThat(plane.awaitIndexAbove(written.index() - 1).get(5, TimeUnit.SECONDS).kv())
          .containsKey("three-of-five");
    }
  }

  @Test
  void transferLeadership_movesTheLeaderToTheNamedPeer() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    String target =
        nodes.running().stream()
            .filter(p -> p != leader)
            .map(nodes::idOf)
            .findFirst()
            .orElseThrow();

    nodes.node("n1").transferLeadership(target).get(10, TimeUnit.SECONDS);

    RatisControlPlane now = nodes.awaitLeader(Duration.ofSeconds(10));
    assertThat(nodes.idOf(now)).isEqualTo(target);
  }

  @Test
  void transferLeadership_toAnUnknownPeer_isRefusedWithItsName() {
    nodes = ControlNodes.form(3, root);
    nodes.awaitLeader(Duration.ofSeconds(15));

    assertThatThrownBy(() -> nodes.node("n1").transferLeadership("ghost").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ghost");
  }

  @Test
  void removePeer_thenAddANewNode_changesTheVoters_andTheNewNodeCatchesUp() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    String removed =
        nodes.running().stream()
            .filter(p -> p != leader)
            .map(nodes::idOf)
            .findFirst()
            .orElseThrow();

    leader.removePeer(removed).get(10, TimeUnit.SECONDS);
    nodes.close(removed);
    RatisControlPlane joiner = nodes.startJoining("n4");
    leader.addPeer("n4", nodes.address("n4")).get(15, TimeUnit.SECONDS);
    ApplyResult written = leader.submit(kvSet("after-change", "v")).get(5, TimeUnit.SECONDS);

    assertThat(leader.status().peers())
        .extracting(ControlPeer::id)
        .doesNotContain(removed)
        .contains("n4")
        .hasSize(3);
    assertThat(joiner.awaitIndexAbove(written.index() - 1).get(10, TimeUnit.SECONDS).kv())
        .containsKey("after-change");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> joiner.status().peers().stream().anyMatch(p -> p.id().equals("n4")));
  }
}
