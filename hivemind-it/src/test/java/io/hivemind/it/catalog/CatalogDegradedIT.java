package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue on the minority side (issue 11): three control agents and a plain agent on
 * loopback; two control agents crash, so the control node and the plain agent left form a minority
 * that cannot commit. On that side the control plane is degraded and refuses writes with a clear
 * error, yet lookups answer from the replica, the crashed side's instances are not deleted (only a
 * committed removal may drop an owner's entries, and a minority commits none), and the plain
 * agent's own registrations keep working, since they need no consensus.
 */
class CatalogDegradedIT {

  private static final Duration FORMING = Duration.ofSeconds(60);
  private static final Duration REPLICATED = Duration.ofSeconds(20);

  /**
   * Longer than gossip takes to declare the crashed agents dead and than the removal rule's
   * suspicion timeout: with a quorum, their removals would have been committed within it.
   */
  private static final Duration HELD = Duration.ofSeconds(15);

  @TempDir static Path root;
  private static final Map<String, Agent> agents = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() {
    for (String name : List.of("c1", "c2", "c3")) {
      start(name, List.of("control"), 3);
    }
    start("p1", List.of("host"), null);
    await()
        .atMost(FORMING)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                agents.values().stream()
                    .allMatch(
                        a ->
                            a.control().view().members().size() == 4
                                && a.admission().map(s -> s.memberId() != null).orElse(false)));
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Agent::close);
  }

  @Test
  void minoritySide_answersFromItsReplica_keepsTheCrashedSidesInstances_andRefusesWrites() {
    HivemindClient plain = client("p1");
    HivemindClient survivor = client("c1");
    plain.register(ServiceRegistrationRequest.of("web-p1", "web", "", 8080));
    client("c3").register(ServiceRegistrationRequest.of("web-c3", "web", "", 8081));
    await().atMost(REPLICATED).until(() -> ids(plain).size() == 2 && ids(survivor).size() == 2);

    agents.remove("c2").close(); // no leave: to the others, crashes
    agents.remove("c3").close();

    await()
        .atMost(FORMING)
        .until(() -> agents.values().stream().allMatch(a -> a.control().status().degraded()));
    // Refused with a reason, whichever way the agent finds out: degraded at once, or no leader
    // answering within the submit bound.
    assertThatThrownBy(() -> survivor.kvPut("degraded", "x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> assertThat(List.of(e.httpStatus(), e.code())).containsExactly(503, "no_quorum"));

    plain.register(ServiceRegistrationRequest.of("web-p1b", "web", "", 8082));
    await()
        .atMost(REPLICATED)
        .until(() -> ids(survivor).contains("web-p1b") && ids(plain).contains("web-p1b"));
    await()
        .during(HELD)
        .atMost(HELD.plusSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(ids(plain)).containsExactlyInAnyOrder("web-p1", "web-p1b", "web-c3");
              assertThat(ids(survivor)).containsExactlyInAnyOrder("web-p1", "web-p1b", "web-c3");
            });
  }

  private static List<String> ids(HivemindClient client) {
    return client.lookup("web").stream().map(ServiceEntry::service).map(s -> s.id()).toList();
  }

  private static HivemindClient client(String name) {
    return HivemindClient.connect(agents.get(name).httpUri());
  }

  private static void start(String name, List<String> roles, Integer bootstrapExpect) {
    List<String> seeds = agents.values().stream().map(a -> a.gossipAddress().toString()).toList();
    AgentSettings settings =
        CatalogAgentSettings.of(
            name, "testing", "it-catalog-degraded", roles, bootstrapExpect, seeds, root);
    try {
      agents.put(name, Agent.start(AgentConfig.resolve(settings, name, root), "it"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
