package io.hivemind.it.control.cluster;

import static io.hivemind.it.control.cluster.ClusterAgents.client;
import static io.hivemind.it.control.cluster.ClusterAgents.raftAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.RaftServer;
import io.hivemind.server.agent.Agent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control agents (bootstrap_expect 3) and two plain agents on loopback form one cluster: one
 * leader every agent names, one Raft group, every agent admitted and listed by every agent, and a
 * KV write through a plain agent readable everywhere.
 */
class FormedClusterIT {

  @TempDir Path root;
  private ClusterAgents agents;

  @AfterEach
  void closeAgents() {
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void threeControlAndTwoPlainAgents_formOneGroup_admitAll_andShareTheKvStore() {
    agents = ClusterAgents.formed(root, 2);

    Agent leader = agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);

    assertThat(agents.nameOf(leader)).isIn("c1", "c2", "c3");
    List<String> controlAddresses =
        List.of(
            raftAddress(agents.agent("c1")),
            raftAddress(agents.agent("c2")),
            raftAddress(agents.agent("c3")));
    for (String name : List.of("c1", "c2", "c3")) {
      List<RaftServer> servers = client(agents.agent(name)).raftConfiguration().servers();
      assertThat(servers)
          .as(name)
          .extracting(RaftServer::id)
          .containsExactlyInAnyOrder("c1", "c2", "c3");
      assertThat(servers)
          .as(name)
          .extracting(RaftServer::address)
          .containsExactlyInAnyOrderElementsOf(controlAddresses);
      assertThat(servers).as(name).allMatch(RaftServer::voter);
      assertThat(servers)
          .as(name)
          .filteredOn(RaftServer::leader)
          .extracting(RaftServer::id)
          .containsExactly(agents.nameOf(leader));
    }
    assertThat(client(agents.agent("p1")).peers())
        .containsExactlyInAnyOrderElementsOf(controlAddresses);

    byte[] value = "through-a-plain-agent".getBytes(StandardCharsets.UTF_8);
    assertThat(client(agents.agent("p1")).kvPut("it/formed", value)).isTrue();
    for (Agent agent : agents.running()) {
      assertThat(client(agent).kvGet("it/formed"))
          .as(agents.nameOf(agent))
          .hasValueSatisfying(pair -> assertThat(pair.decodedValue()).isEqualTo(value));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (Agent agent : agents.running()) {
                assertThat(ClusterAgents.admission(agent).path("Admission").asText())
                    .as(agents.nameOf(agent))
                    .isEqualTo("admitted");
              }
            });
  }
}
