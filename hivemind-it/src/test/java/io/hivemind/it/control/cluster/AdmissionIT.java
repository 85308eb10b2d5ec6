package io.hivemind.it.control.cluster;

import static io.hivemind.it.control.cluster.ClusterAgents.admission;
import static io.hivemind.it.control.cluster.ClusterAgents.catalogNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agreement.ControlMembershipBridge.Admission;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission by the control plane, as a joining agent sees it: a join token it must prove, and roles
 * it requires before it may be admitted. A node that was never admitted is listed by nobody.
 */
class AdmissionIT {

  private static final String TOKEN = "it-cluster-token-0123456789";

  @TempDir Path root;
  private ClusterAgents agents;

  @AfterEach
  void closeAgents() {
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void joinToken_agentsWithoutOrWithAnother_areRefusedWithTheReason_theOneWithItIsAdmitted() {
    agents = new ClusterAgents(root);
    for (String name : new String[] {"c1", "c2", "c3"}) {
      agents.start(AgentSpec.control(name).withJoinToken(TOKEN));
    }
    agents.awaitLeader(ClusterAgents.FORMING);
    Agent none = agents.start(AgentSpec.plain("p-none"));
    Agent wrong =
        agents.start(AgentSpec.plain("p-wrong").withJoinToken("another-token-0123456789"));
    agents.start(AgentSpec.plain("p-good").withJoinToken(TOKEN));

    await()
        .atMost(ClusterAgents.FORMING)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(admission(none).path("Admission").asText()).isEqualTo("refused");
              assertThat(admission(wrong).path("Admission").asText()).isEqualTo("refused");
              for (String name : new String[] {"c1", "c2", "c3", "p-good"}) {
                assertThat(catalogNames(agents.agent("c1"))).contains(name);
              }
            });

    assertThat(admission(none).path("Detail").asText())
        .contains("needs a join token")
        .contains("p-none sent none");
    assertThat(admission(wrong).path("Detail").asText())
        .contains("join token of p-wrong is not this cluster's");
    assertThat(none.admission())
        .hasValueSatisfying(s -> assertThat(s.admission()).isEqualTo(Admission.REFUSED));
    for (Agent agent : agents.running()) {
      assertThat(catalogNames(agent)).as(agents.nameOf(agent)).doesNotContain("p-none", "p-wrong");
    }
    assertThat(ClusterAgents.get(agents.agent("c1"), "/v1/agent/self").body())
        .doesNotContain(TOKEN);
  }

  @Test
  void requiredRole_agentWaitsVisibly_untilAnAgentWithTheRoleIsAdmitted() {
    agents = ClusterAgents.formed(root, 0);
    agents.awaitLeader(ClusterAgents.FORMING);
    Agent waiting = agents.start(AgentSpec.plain("p-needs-dns").requiring("dns"));

    await()
        .atMost(ClusterAgents.FORMING)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode control = admission(waiting);
              assertThat(control.path("Admission").asText())
                  .as(control.toString())
                  .isEqualTo("waiting_for_roles");
            });
    assertThat(admission(waiting).path("Detail").asText()).contains("dns");
    for (Agent agent : agents.running()) {
      assertThat(catalogNames(agent)).as(agents.nameOf(agent)).doesNotContain("p-needs-dns");
    }

    agents.start(AgentSpec.plain("d1").withRoles("dns"));

    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(Duration.ofSeconds(40));
    assertThat(admission(waiting).path("Admission").asText()).isEqualTo("admitted");
  }
}
