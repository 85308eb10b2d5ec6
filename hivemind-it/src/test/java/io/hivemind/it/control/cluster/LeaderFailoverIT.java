package io.hivemind.it.control.cluster;

import static io.hivemind.it.control.cluster.ClusterAgents.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.membership.Address;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.control.ControlPlaneSlot;
import io.hivemind.server.control.FollowerControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control agent goes away (closed without leaving, as a crash): the leader, and a plain agent's
 * gateway. The group elects another leader and keeps every acknowledged write; the plain agent
 * follows another control node and misses no entry.
 */
class LeaderFailoverIT {

  private static final Logger log = LoggerFactory.getLogger(LeaderFailoverIT.class);

  /** Writes acknowledged before the crash, each checked after it. */
  private static final int WRITES = 20;

  @TempDir Path root;
  private ClusterAgents agents;

  @AfterEach
  void closeAgents() {
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void leaderClosed_anotherIsElected_noAcknowledgedWriteLost_andWritesWorkAgain() {
    agents = ClusterAgents.formed(root, 1);
    Agent leader = agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);
    List<String> acknowledged = writeThrough(agents.agent("p1"), "before/", WRITES);
    String oldLeader = agents.nameOf(leader);

    long closedAt = System.nanoTime();
    agents.close(oldLeader);
    Agent next = agents.awaitLeader(Duration.ofSeconds(20));
    long electedMillis = (System.nanoTime() - closedAt) / 1_000_000;

    log.info(
        "FIGURE leader {} closed: {} leads after {} ms",
        oldLeader,
        agents.nameOf(next),
        electedMillis);
    assertThat(agents.nameOf(next)).isNotEqualTo(oldLeader);
    for (Agent agent : agents.running()) {
      for (String key : acknowledged) {
        assertThat(client(agent).kvGet(key)).as(agents.nameOf(agent) + " " + key).isPresent();
      }
    }
    for (Agent agent : agents.running()) {
      String key = "after/" + agents.nameOf(agent);
      assertThat(client(agent).kvPut(key, bytes(key))).as(key).isTrue();
    }
    assertThat(client(agents.agent("p1")).kvKeys("after/", "")).hasSize(3);
  }

  @Test
  void plainAgentsGatewayClosed_itFollowsAnother_andMissesNoEntry() {
    agents = ClusterAgents.formed(root, 1);
    agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);
    Agent plain = agents.agent("p1");
    Address gateway = follower(plain).gateway();
    Agent gatewayAgent =
        agents.running().stream()
            .filter(a -> a.config().control().gatewayBind().port() == gateway.port())
            .findFirst()
            .orElseThrow();
    List<String> before = writeThrough(agents.agent("c1"), "before/", 5);

    agents.close(agents.nameOf(gatewayAgent));
    agents.awaitLeader(Duration.ofSeconds(20));
    Agent writer = agents.running().stream().filter(a -> a != plain).findFirst().orElseThrow();
    List<String> after = writeThrough(writer, "after/", 5);
    long lastIndex = writer.control().view().index();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(follower(plain).gateway()).isNotNull().isNotEqualTo(gateway);
              assertThat(plain.control().view().index()).isGreaterThanOrEqualTo(lastIndex);
            });
    assertThat(follower(plain).stats().failovers()).isPositive();
    List<String> expected = new ArrayList<>(before);
    expected.addAll(after);
    assertThat(plain.control().view().kv().keySet()).containsAll(expected);
    for (Agent agent : agents.running()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> agent.control().view().index() >= lastIndex);
      assertThat(plain.control().view().kv().keySet())
          .as("%s's KV store against the plain agent's", agents.nameOf(agent))
          .containsExactlyInAnyOrderElementsOf(agent.control().view().kv().keySet());
    }
  }

  private static FollowerControlPlane follower(Agent plain) {
    return (FollowerControlPlane) ((ControlPlaneSlot) plain.control()).attached();
  }

  private static List<String> writeThrough(Agent agent, String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + i;
      assertThat(client(agent).kvPut(key, bytes(key))).as(key).isTrue();
      keys.add(key);
    }
    return keys;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
