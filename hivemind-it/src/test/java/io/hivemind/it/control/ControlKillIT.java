package io.hivemind.it.control;

import static io.hivemind.it.control.ControlGroupIT.kvSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader in a process of its own is killed with SIGKILL: no fsync, no goodbye. */
class ControlKillIT {

  @TempDir Path root;
  private ControlNodes nodes;
  private Process child;

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void leaderKilled_aNewLeaderIsElected_andNoAcknowledgedChangeIsLost() throws Exception {
    nodes = ControlNodes.formPartly(3, 2, root);
    Files.createDirectories(root);
    child = nodes.startProcess("n3");
    RatisControlPlane n1 = nodes.node("n1");
    await().atMost(Duration.ofSeconds(20)).until(() -> !n1.status().degraded());
    // The child JVM may still be catching up (a transfer times out after 3 s on a busy machine):
    // ask again until it leads.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (n1.status().leaderAddress().equals(nodes.address("n3"))) {
                return true;
              }
              try {
                n1.transferLeadership("n3").get(15, TimeUnit.SECONDS);
              } catch (ExecutionException e) {
                return false;
              }
              return n1.status().leaderAddress().equals(nodes.address("n3"));
            });
    List<ApplyResult> acknowledged = new ArrayList<>();
    acknowledged.add(
        n1.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS));
    for (int i = 0; i < 20; i++) {
      acknowledged.add(n1.submit(kvSet("k" + i, "v")).get(5, TimeUnit.SECONDS));
    }

    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    RatisControlPlane next = nodes.awaitLeader(Duration.ofSeconds(10));
    ApplyResult after = next.submit(kvSet("after-kill", "v")).get(5, TimeUnit.SECONDS);

    assertThat(acknowledged).allMatch(r -> r instanceof ApplyResult.Applied);
    assertThat(after).isInstanceOf(ApplyResult.Applied.class);
    for (RatisControlPlane survivor : nodes.running()) {
      ControlView view = survivor.linearizableView().get(5, TimeUnit.SECONDS);
      assertThat(view.kv().keySet()).contains("k0", "k19", "after-kill");
    }
  }
}
