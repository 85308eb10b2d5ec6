package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.Indexed;
import io.hivemind.client.ServiceChange;
import io.hivemind.client.ServiceWatch;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue's HTTP API across two agents on loopback: a control node and a plain agent. An
 * instance registered over HTTP on the plain agent is answered by the control node's API with the
 * owner's node fields from the registry, and a blocking query on the control node wakes when the
 * plain agent registers another instance. A {@link ServiceWatch} whose first agent is down moves to
 * the next and streams the service's changes from it.
 */
class CatalogHttpReplicationIT {

  private static final Duration FORMING = Duration.ofSeconds(60);
  private static final Duration REPLICATED = Duration.ofSeconds(20);

  @TempDir static Path root;
  private static Agent control;
  private static Agent plain;

  @BeforeAll
  static void startAgents() throws IOException {
    control = start("ctl", List.of("control"), 1, List.of());
    plain = start("plain", List.of("host"), null, List.of(control.gossipAddress().toString()));
    await()
        .atMost(FORMING)
        .until(
            () ->
                control.control().view().members().size() == 2
                    && plain.admission().map(s -> s.memberId() != null).orElse(false));
  }

  @AfterAll
  static void stop() {
    if (plain != null) {
      plain.close();
    }
    if (control != null) {
      control.close();
    }
  }

  private static Agent start(String name, List<String> roles, Integer expect, List<String> seeds)
      throws IOException {
    AgentSettings settings =
        CatalogAgentSettings.of(
            name, "development", "it-catalog-http-repl", roles, expect, seeds, root);
    return Agent.start(AgentConfig.resolve(settings, name, root), "it");
  }

  @Test
  void registeredOnThePlainAgent_answeredByTheOther_withTheOwnersNode() {
    HivemindClient owner = HivemindClient.connect(plain.httpUri());
    HivemindClient other = HivemindClient.connect(control.httpUri());
    owner.register(ServiceRegistrationRequest.of("api-1", "api", "", 8080));

    await().atMost(REPLICATED).until(() -> !other.lookup("api").isEmpty());
    ServiceEntry entry = other.lookup("api").get(0);

    assertThat(entry.node().node()).isEqualTo("plain");
    assertThat(entry.node().id()).isEqualTo(plain.admission().orElseThrow().memberId());
    assertThat(entry.node().address()).isEqualTo(plain.gossipAddress().host());
    assertThat(entry.node().datacenter()).isEqualTo("it-catalog-http-repl");
    assertThat(entry.effectiveAddress()).isEqualTo(plain.gossipAddress().host());
    assertThat(other.agentServices()).doesNotContainKey("api-1");

    Indexed<List<ServiceEntry>> seen = other.watch("api", false, 0, Duration.ZERO);
    CompletableFuture<Indexed<List<ServiceEntry>>> woken =
        CompletableFuture.supplyAsync(
            () -> other.watch("api", false, seen.index(), Duration.ofSeconds(60)));
    owner.register(ServiceRegistrationRequest.of("api-2", "api", "", 8081));

    assertThat(woken.orTimeout(30, TimeUnit.SECONDS).join().value()).hasSize(2);
  }

  @Test
  void serviceWatch_skipsADownAgent_andStreamsEachChange() throws InterruptedException {
    HivemindClient owner = HivemindClient.connect(plain.httpUri());
    HivemindClient down =
        HivemindClient.connect(URI.create("http://127.0.0.1:" + FreePorts.tcpAndUdp()));
    HivemindClient other = HivemindClient.connect(control.httpUri());
    LinkedBlockingQueue<ServiceChange> changes = new LinkedBlockingQueue<>();

    try (ServiceWatch watch =
        ServiceWatch.start(
            List.of(down, other), "web", false, Duration.ofSeconds(30), changes::add)) {
      ServiceChange first = changes.poll(30, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(first.agent()).isEqualTo(other.agent());
      assertThat(first.instances()).isEmpty();
      assertThat(watch.lastFailure()).isNotNull();

      owner.register(ServiceRegistrationRequest.of("web-1", "web", "", 9090));
      ServiceChange added = changes.poll(30, TimeUnit.SECONDS);
      assertThat(added).isNotNull();
      assertThat(added.added()).extracting(e -> e.service().id()).containsExactly("web-1");

      owner.deregister("web-1");
      ServiceChange removed = changes.poll(30, TimeUnit.SECONDS);
      assertThat(removed).isNotNull();
      assertThat(removed.removed()).extracting(e -> e.service().id()).containsExactly("web-1");
      assertThat(removed.instances()).isEmpty();
    }
  }
}
