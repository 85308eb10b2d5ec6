package io.hivemind.it.control;

import static io.hivemind.it.control.ControlGroupIT.kvSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control nodes restarted from their data directories: snapshot, log, stored configuration. */
class ControlRecoveryIT {

  @TempDir Path root;
  private ControlNodes nodes;

  @AfterEach
  void closeNodes() {
    if (nodes != null) {
      nodes.close();
    }
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

  @Test
  void nodeWithStorage_restartedWithOnlyItselfAsPeer_rejoinsItsGroup_neverFormsASecond()
      throws Exception {
    nodes = ControlNodes.form(3, root);
    RatisControlPlane leader = nodes.awaitLeader(Duration.ofSeconds(15));
    leader.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
    String restarted =
        nodes.running().stream()
            .filter(p -> p != leader)
            .map(nodes::idOf)
            .findFirst()
            .orElseThrow();
    nodes.close(restarted);
    ApplyResult whileDown = leader.submit(kvSet("whileDown", "v")).get(5, TimeUnit.SECONDS);

    RatisControlPlane again = nodes.restartAlone(restarted);

    ControlView view = again.awaitIndexAbove(whileDown.index() - 1).get(15, TimeUnit.SECONDS);
    assertThat(view.kv()).containsKey("whileDown");
    assertThat(again.status().peers()).hasSize(3);
    assertThat(again.status().leaderAddress()).isEqualTo(leader.address());
  }

  private static List<Path> snapshotFiles(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
    }
  }
}
