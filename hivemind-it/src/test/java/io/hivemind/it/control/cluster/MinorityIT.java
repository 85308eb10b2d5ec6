package io.hivemind.it.control.cluster;

import static io.hivemind.it.control.cluster.ClusterAgents.admission;
import static io.hivemind.it.control.cluster.ClusterAgents.catalogNames;
import static io.hivemind.it.control.cluster.ClusterAgents.client;
import static io.hivemind.it.control.cluster.ClusterAgents.get;
import static io.hivemind.it.control.cluster.ClusterAgents.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.control.ControlConfig;
import io.hivemind.server.agent.Agent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two of three control agents gone: the rest of the cluster is degraded. Writes and admissions fail
 * fast with 503 {@code no_quorum}; stale reads still answer from the local replica; no leader is
 * named; a new agent is not admitted.
 */
class MinorityIT {

  private static final Logger log = LoggerFactory.getLogger(MinorityIT.class);

  /** A refusal comes after the submit timeout at most; the margin is for a loaded machine. */
  private static final Duration FAST =
      ControlConfig.DEFAULT_SUBMIT_TIMEOUT.plus(Duration.ofSeconds(4));

  @TempDir Path root;
  private ClusterAgents agents;

  @AfterEach
  void closeAgents() {
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void twoOfThreeControlAgentsClosed_writesFailFast_readsAnswer_noAdmission_untilOneIsBack() {
    agents = ClusterAgents.formed(root, 1);
    Agent leader = agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);
    assertThat(client(agents.agent("p1")).kvPut("before", "v".getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    Set<String> admitted = agents.names();
    String leaderName = agents.nameOf(leader);
    String follower =
        List.of("c1", "c2", "c3").stream().filter(n -> !n.equals(leaderName)).findFirst().get();

    agents.close(leaderName);
    agents.close(follower);
    List<Agent> left = agents.running();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> left.stream().allMatch(a -> client(a).leader().isEmpty()));

    for (Agent agent : left) {
      String name = agents.nameOf(agent);
      long started = System.nanoTime();
      HttpResponse<String> write = put(agent, "/v1/kv/during", "x");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.info("FIGURE {}: a write without quorum refused in {} ms", name, took.toMillis());
      assertThat(write.statusCode()).as(name + ": " + write.body()).isEqualTo(503);
      assertThat(write.body()).as(name).contains("no_quorum");
      assertThat(took).as(name).isLessThan(FAST);

      assertThat(get(agent, "/v1/kv/before?stale").statusCode()).as(name).isEqualTo(200);
      assertThat(catalogNames(agent)).as(name).isEqualTo(admitted);
      assertThat(get(agent, "/v1/catalog/nodes").statusCode()).as(name).isEqualTo(503);
      assertThat(get(agent, "/v1/agent/members").statusCode()).as(name).isEqualTo(200);
    }

    Agent newcomer = agents.start(AgentSpec.plain("p2"));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(admission(newcomer).path("Detail").asText())
                    .contains("waiting for a quorum"));
    assertThat(admission(newcomer).path("Admission").asText()).isEqualTo("requesting");
    for (Agent agent : agents.running()) {
      assertThat(catalogNames(agent)).as(agents.nameOf(agent)).doesNotContain("p2");
    }

    // Quorum back: the control node whose proposals failed proposes again, the newcomer is in.
    Agent survivor =
        left.stream().filter(a -> a.config().roles().contains("control")).findFirst().get();
    agents.restart(follower);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> put(survivor, "/v1/kv/after", "y").statusCode() == 200);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(Duration.ofSeconds(40));
    assertThat(catalogNames(survivor)).contains("p2");
  }
}
