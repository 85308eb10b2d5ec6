package io.hivemind.it.control.cluster;

import static io.hivemind.it.control.cluster.ClusterAgents.catalogNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.server.agent.Agent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removals the control plane commits: a crashed plain agent is removed by the observers' reports
 * (and nobody else is), and the KV lock its session held is released at that commit, so another
 * agent's session takes it (Consul's sessions bound to their node, docs/sessions.md); a live agent
 * the log removed notices its stale epoch and is admitted again under a new id.
 */
class RemovalIT {

  private static final Logger log = LoggerFactory.getLogger(RemovalIT.class);

  @TempDir Path root;
  private ClusterAgents agents;

  @AfterEach
  void closeAgents() {
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void plainAgentCrashes_theControlPlaneCommitsItsRemoval_andOnlyIts() {
    agents = ClusterAgents.formed(root, 2);
    agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);
    String crashedId = idOf(agents.agent("c1"), "p2");
    // p2 leads (its session holds the lock), p1 waits with its own session.
    String crashedSession = session(agents.agent("p2"));
    String waitingSession = session(agents.agent("p1"));
    assertThat(lock(agents.agent("p2"), crashedSession)).isEqualTo("true");
    assertThat(lock(agents.agent("p1"), waitingSession)).isEqualTo("false");

    long crashedAt = System.nanoTime();
    agents.close("p2");
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(Duration.ofSeconds(40));
    long removedMillis = (System.nanoTime() - crashedAt) / 1_000_000;

    log.info("FIGURE crash of p2 -> committed removal on every agent: {} ms", removedMillis);
    List<ControlEvent> events = agents.agent("c1").control().view().events();
    assertThat(events)
        .filteredOn(e -> e.subject().equals("p2"))
        .extracting(ControlEvent::type)
        .as("a crash is a removal, not a leave")
        .containsSubsequence(ControlEvent.MEMBER_ADMITTED, ControlEvent.MEMBER_REMOVED)
        .doesNotContain(ControlEvent.MEMBER_LEFT);
    assertThat(agents.agent("c1").control().view().members())
        .extracting(ControlMember::id)
        .doesNotContain(crashedId)
        .hasSize(4);
    for (Agent agent : agents.running()) {
      assertThat(catalogNames(agent))
          .as(agents.nameOf(agent))
          .containsExactlyInAnyOrder("c1", "c2", "c3", "p1");
    }
    // The removal ended p2's session and released its lock; after the lock delay p1 takes it.
    assertThat(agents.agent("c1").control().view().sessions().get(crashedSession)).isNull();
    assertThat(agents.agent("c1").control().view().kv().get(LOCK).locked()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> lock(agents.agent("p1"), waitingSession).equals("true"));
    log.info(
        "FIGURE crash of p2 -> p1's session holds p2's lock (1 s lock delay): {} ms",
        (System.nanoTime() - crashedAt) / 1_000_000);
    // Every replica follows: the acquire committed, so each applies it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(agents.agent("c2").control().view().kv().get(LOCK).session())
                    .isEqualTo(waitingSession));
  }

  private static final String LOCK = "service/leader";

  /** A session bound to {@code agent}'s node, with a 1 s lock delay. */
  private static String session(Agent agent) {
    HttpResponse<String> created =
        ClusterAgents.put(agent, "/v1/session/create", "{\"LockDelay\":\"1s\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    return ClusterAgents.json(created).get("ID").asText();
  }

  /** Consul's answer to {@code session}'s acquire of {@link #LOCK} through {@code agent}. */
  private static String lock(Agent agent, String session) {
    HttpResponse<String> answer =
        ClusterAgents.put(agent, "/v1/kv/" + LOCK + "?acquire=" + session, "holder");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  @Test
  void liveAgentRemovedByTheLog_noticesItsStaleEpoch_andIsAdmittedUnderANewId() throws Exception {
    agents = ClusterAgents.formed(root, 1);
    agents.awaitLeader(ClusterAgents.FORMING);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(ClusterAgents.FORMING);
    Agent plain = agents.agent("p1");
    String oldId = plain.admission().orElseThrow().memberId();
    assertThat(idOf(agents.agent("c2"), "p1")).isEqualTo(oldId);

    ApplyResult removal =
        agents
            .agent("c2")
            .control()
            .submit(new ControlCommand.RemoveMember(oldId, RemovalReason.FAILED, List.of()))
            .get(10, TimeUnit.SECONDS);
    assertThat(removal).isInstanceOf(ApplyResult.Applied.class);

    await()
        .atMost(Duration.ofSeconds(40))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Agent agent : agents.running()) {
                String id = idOf(agent, "p1");
                assertThat(id).as(agents.nameOf(agent)).isNotNull().isNotEqualTo(oldId);
              }
            });
    String newId = idOf(agents.agent("c1"), "p1");
    assertThat(plain.admission().orElseThrow().memberId()).isEqualTo(newId);
    // The control nodes may list the new id a moment before p1's own follower applies it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ClusterAgents.admission(plain).path("Admission").asText())
                    .isEqualTo("admitted"));
    assertThat(plain.control().view().members())
        .extracting(ControlMember::id)
        .doesNotContain(oldId);
    agents.awaitCatalogOfEveryAgentIsTheRunningAgents(Duration.ofSeconds(20));
    List<String> p1Events =
        agents.agent("c1").control().view().events().stream()
            .filter(e -> e.subject().equals("p1"))
            .map(ControlEvent::type)
            .toList();
    assertThat(p1Events)
        .containsSubsequence(
            ControlEvent.MEMBER_ADMITTED,
            ControlEvent.MEMBER_REMOVED,
            ControlEvent.MEMBER_ADMITTED);
  }

  /** The id {@code agent}'s catalog lists for {@code name}, or null. */
  private static String idOf(Agent agent, String name) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode node : ClusterAgents.json(ClusterAgents.get(agent, "/v1/catalog/nodes?stale"))) {
      if (node.get("Node").asText().equals(name)) {
        ids.add(node.get("ID").asText());
      }
    }
    return ids.isEmpty() ? null : ids.iterator().next();
  }
}
