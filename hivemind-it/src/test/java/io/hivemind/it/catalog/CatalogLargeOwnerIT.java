package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.catalog.ReplicationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 11): an owner whose whole state is larger than one catalogue frame (2 MiB). It
 * used to travel as one message, over the limit, and was dropped; its repair answer too, so every
 * other replica held none of it while the owner answered 200. One control node and two plain agents
 * on loopback; one plain agent owns 15,000 instances (~3.4 MB as one state). A third agent joining
 * is filled with all of them, and after the owner's removal and re-admission under a new id (its
 * whole state drained as one delta) every agent holds all 15,000 under the new owner.
 */
class CatalogLargeOwnerIT {

  private static final int INSTANCES = 15_000;
  private static final String SERVICE = "bulk";
  private static final Duration FORMING = Duration.ofSeconds(25);
  private static final Duration REPLICATED = Duration.ofSeconds(60);

  /** ~200 bytes of metadata, so an instance is ~300 bytes as the colleague's were. */
  private static final String DESCRIPTION = "an instance of a large owner, ".repeat(7);

  @TempDir Path root;
  private final List<Agent> agents = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = agents.size() - 1; i >= 0; i--) {
      agents.get(i).close();
    }
  }

  private Agent start(String name, List<String> roles, Integer expect, List<String> seeds)
      throws IOException {
    AgentSettings settings =
        CatalogAgentSettings.of(
            name, "development", "it-catalog-large-owner", roles, expect, seeds, root);
    Agent agent = Agent.start(AgentConfig.resolve(settings, name, root), "it");
    agents.add(agent);
    return agent;
  }

  private static String id(Agent agent) {
    return agent.admission().map(a -> a.memberId()).orElse(null);
  }

  private static long held(Agent agent, String owner) {
    return agent.catalogue().view().instances(SERVICE).stream()
        .map(CatalogEntry::instance)
        .filter(instance -> instance.owner().equals(owner))
        .count();
  }

  private static void registerAll(Agent owner) {
    List<CompletableFuture<ServiceInstance>> done = new ArrayList<>(INSTANCES);
    for (int i = 0; i < INSTANCES; i++) {
      done.add(
          owner
              .catalogue()
              .register(
                  new ServiceRegistration(
                      SERVICE,
                      "bulk-" + i,
                      "127.0.0.1",
                      10_000 + i % 50_000,
                      List.of("large-owner", "v" + i % 7),
                      Map.of("zone", "z" + i % 3, "team", "catalogue", "description", DESCRIPTION),
                      Weights.DEFAULT,
                      List.of()),
                  ServiceInstance.AGENT_SESSION));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
  }

  private static void awaitEveryoneHolds(List<Agent> agents, String owner) {
    await()
        .atMost(REPLICATED)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Agent agent : agents) {
                assertThat(held(agent, owner)).as(agent.toString()).isEqualTo(INSTANCES);
              }
            });
  }

  private static int stateBytes(Agent agent, String owner) {
    List<ServiceInstance> instances =
        agent.catalogue().view().instances(SERVICE).stream()
            .map(CatalogEntry::instance)
            .filter(instance -> instance.owner().equals(owner))
            .toList();
    OwnerState state = new OwnerState(owner, 1, 1, instances);
    return WireCatalogCodec.encode(new CatalogMessage.States(List.of(state))).length;
  }

  @Test
  void ownerLargerThanAFrame_reachesEveryAgent_onJoinAndAfterReadmission() throws Exception {
    Agent control = start("ctl", List.of("control"), 1, List.of());
    String seed = control.gossipAddress().toString();
    Agent owner = start("owner", List.of("host"), null, List.of(seed));
    Agent other = start("other", List.of("host"), null, List.of(seed));
    await()
        .atMost(FORMING)
        .until(
            () ->
                control.control().view().members().size() == 3
                    && id(owner) != null
                    && id(other) != null);

    registerAll(owner);
    String firstId = id(owner);
    awaitEveryoneHolds(List.of(owner, control, other), firstId);
    assertThat(stateBytes(owner, firstId))
        .as("the owner's state as one message is over the 2 MiB frame limit")
        .isGreaterThan(ReplicationConfig.DEFAULT_MAX_FRAME_BYTES);

    Agent late = start("late", List.of("host"), null, List.of(seed));
    awaitEveryoneHolds(List.of(late), firstId);

    control
        .control()
        .submit(new ControlCommand.RemoveMember(firstId, RemovalReason.FAILED, List.of()))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    await().atMost(FORMING).until(() -> id(owner) != null && !id(owner).equals(firstId));
    String secondId = id(owner);
    awaitEveryoneHolds(List.of(owner, control, other, late), secondId);
    for (Agent agent : List.of(control, other, late)) {
      assertThat(held(agent, firstId)).as("the removed id's instances are gone").isZero();
    }
  }
}
