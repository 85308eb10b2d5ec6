package io.hivemind.it.control;

import static io.hivemind.it.control.ControlGroupIT.kvSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.NoQuorumException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures of control nodes: the leader goes, the quorum goes, a node restarts from its disk. */
class ControlFailoverIT {

  private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path root;
  private ControlNodes nodes;

  @AfterEach
  void closeNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void leaderClosed_aNewLeaderTakesOver_andNoAcknowledgedChangeIsLost() throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    List<ApplyResult> acknowledged = new ArrayList<>();
    acknowledged.add(
        leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS));
    for (int i = 0; i < 10; i++) {
      acknowledged.add(leader.submit(kvSet("before" + i, "v")).get(5, TimeUnit.SECONDS));
    }

    nodes.close(nodes.idOf(leader));
    RatisControlPlane next = nodes.awaitLeader(Duration.ofSeconds(10));
    acknowledged.add(next.submit(kvSet("after", "v")).get(5, TimeUnit.SECONDS));

    assertThat(next).isNotSameAs(leader);
    long last = acknowledged.get(acknowledged.size() - 1).index();
    for (RatisControlPlane survivor : nodes.running()) {
      ControlView view = survivor.linearizableView().get(5, TimeUnit.SECONDS);
      assertThat(view.index()).isGreaterThanOrEqualTo(last);
      assertThat(view.kv().keySet()).contains("before0", "before9", "after");
    }
    assertThat(acknowledged).allMatch(r -> r instanceof ApplyResult.Applied);
  }

  @Test
  void twoOfThreeClosed_writesFailWithNoQuorumWithinTheBound_andLocalReadsStillAnswer()
      throws Exception {
    nodes = ControlNodes.form(3, root, c -> c.withSubmitTimeout(SUBMIT_TIMEOUT));
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    ApplyResult written =
        leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    RatisControlPlane survivor = nodes.node("n1");
    survivor.awaitIndexAbove(written.index() - 1).get(5, TimeUnit.SECONDS);

    nodes.close("n2");
    nodes.close("n3");

    var submitted = survivor.submit(kvSet("lost", "v"));
    // The bound plus slack for a loaded machine: the future must end on its own, not hang.
    assertThatThrownBy(
            () -> submitted.get(SUBMIT_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NoQuorumException.class);
    assertThatThrownBy(
            () ->
                survivor
                    .linearizableView()
                    .get(SUBMIT_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(NoQuorumException.class);
    assertThat(survivor.view().index()).isGreaterThanOrEqualTo(written.index());
    await().atMost(Duration.ofSeconds(10)).until(() -> survivor.status().degraded());
    assertThat(survivor.status().leaderAddress()).isEmpty();
  }

  @Test
  void restartedNode_recoversFromItsSnapshotAndLog() throws Exception {
    nodes = ControlNodes.form(3, root, c -> c.withSnapshotThreshold(10));
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 25; i++) {
      leader.submit(kvSet("k" + i, "v")).get(5, TimeUnit.SECONDS);
    }
    nodes.close("n1");
    RatisControlPlane stillLeading = nodes.awaitLeader(Duration.ofSeconds(10));
    ApplyResult whileDown = stillLeading.submit(kvSet("whileDown", "v")).get(5, TimeUnit.SECONDS);

    assertThat(snapshotFiles(root.resolve("n1"))).isNotEmpty();
    RatisControlPlane restarted = nodes.start("n1");

    ControlView view = restarted.awaitIndexAbove(whileDown.index() - 1).get(15, TimeUnit.SECONDS);
    assertThat(view.kv().keySet()).contains("k0", "k24", "whileDown");
  }

  @Test
  void wholeGroupRestarted_recoversEveryCommittedEntry() throws Exception {
    nodes = ControlNodes.form(3, root, c -> c.withSnapshotThreshold(10));
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    ApplyResult last = null;
    for (int i = 0; i < 15; i++) {
      last = leader.submit(kvSet("k" + i, "v")).get(5, TimeUnit.SECONDS);
    }
    nodes.close();

    Stream.of("n1", "n2", "n3").forEach(nodes::start);
    RatisControlPlane again = nodes.awaitLeader(Duration.ofSeconds(15));

    ControlView view = again.linearizableView().get(5, TimeUnit.SECONDS);
    assertThat(view.index()).isGreaterThanOrEqualTo(last.index());
    assertThat(view.kv().keySet()).contains("k0", "k14");
  }

  private static List<Path> snapshotFiles(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
    }
  }
}
