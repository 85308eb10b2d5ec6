package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node the control plane removed rejoins under a new id (issue 11): its instances go with the old
 * id's committed removal and come back, owned by the new id, once it is admitted again.
 */
class CatalogueReadmissionIT {

  private static final Duration FORMING = Duration.ofSeconds(40);

  @TempDir Path root;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private Agent startDevAgent() throws Exception {
    AgentSettings settings = CatalogAgentSettings.devVoter("it-catalog-readmission", root);
    return Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
  }

  private Optional<ServiceInstance> instance(String id) {
    for (CatalogEntry entry : agent.catalogue().view().instances("web")) {
      if (entry.instance().id().equals(id)) {
        return Optional.of(entry.instance());
      }
    }
    return Optional.empty();
  }

  @Test
  void removedNode_rejoinsUnderANewId_andRepublishesItsInstancesAsTheNewOwner() throws Exception {
    agent = startDevAgent();
    agent
        .catalogue()
        .register(
            new ServiceRegistration(
                "web", "web-1", "127.0.0.1", 80, List.of(), Map.of(), Weights.DEFAULT, List.of()),
            ServiceInstance.AGENT_SESSION)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    await().atMost(FORMING).until(() -> instance("web-1").isPresent());
    String firstId = instance("web-1").orElseThrow().owner();

    agent
        .control()
        .submit(new ControlCommand.RemoveMember(firstId, RemovalReason.FAILED, List.of()))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();

    await()
        .atMost(FORMING)
        .untilAsserted(
            () -> {
              ServiceInstance back = instance("web-1").orElseThrow();
              assertThat(back.owner()).isNotEqualTo(firstId);
              assertThat(back.owner()).isEqualTo(agent.admission().orElseThrow().memberId());
            });
    assertThat(agent.catalogue().view().instances("web")).hasSize(1);
    assertThat(agent.catalogue().localInstances())
        .extracting(ServiceInstance::owner)
        .doesNotContain(firstId);
  }
}
