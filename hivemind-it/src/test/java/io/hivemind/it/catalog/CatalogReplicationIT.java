package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.OwnerVersion;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.transport.ControlGatewayClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalogue replication on real sockets (ADR 0004): three control agents and two plain agents in
 * this JVM on loopback. A registration on one plain agent reaches the other and every control node
 * through the gateways and the control mesh; a follower's forged change of another owner is
 * refused; a reopened link and a new agent are filled by their digest exchange; an agent closed
 * without leaving loses its instances everywhere once its removal is committed. The tests share one
 * cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogReplicationIT {

  private static final Logger log = LoggerFactory.getLogger(CatalogReplicationIT.class);

  /** Forming a group on a busy 2-core machine: gossip, then Ratis's first election. */
  private static final Duration FORMING = Duration.ofSeconds(60);

  /** Replication itself takes milliseconds; this is room for a loaded machine. */
  private static final Duration REPLICATED = Duration.ofSeconds(20);

  /** A crash is committed as a removal after the removal rule's suspicion, then spreads. */
  private static final Duration REMOVED = Duration.ofSeconds(60);

  @TempDir static Path root;
  private static final Map<String, Agent> agents = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() {
    for (String name : List.of("c1", "c2", "c3")) {
      start(name, List.of("control"), 3);
    }
    start("p1", List.of("host"), null);
    start("p2", List.of("host"), null);
    awaitAdmitted(5);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Agent::close);
  }

  @Test
  @Order(1)
  void registerOnPlainAgent_isVisibleOnTheOtherPlainAgentAndEveryControlNode() {
    long started = System.nanoTime();
    register("p1", "web-1");
    awaitEverywhere("web-1", true);
    log.info(
        "FIGURE p1 registration -> visible on all 5 agents: {} ms",
        (System.nanoTime() - started) / 1_000_000);
    assertThat(instanceOn("c2", "web-1").owner()).isEqualTo(idOf("p1"));
  }

  @Test
  @Order(2)
  void followerSendingAnotherOwnersState_isRefusedAndCounted() throws Exception {
    register("p1", "web-2");
    awaitEverywhere("web-2", true);
    Agent c1 = agents.get("c1");
    long forgedBefore = c1.catalogueReplication().stats().forged();
    // An intruder follows c1's gateway as itself and sends p1's "state" in a later generation:
    // accepted, it would wipe p1's instances on every node.
    byte[] forged =
        WireCatalogCodec.encode(
            new CatalogMessage.States(
                List.of(new OwnerState(idOf("p1"), Long.MAX_VALUE, 0, List.of()))));
    byte[] forgedDelta =
        WireCatalogCodec.encode(
            new CatalogMessage.Deltas(
                List.of(
                    new CatalogDelta(
                        idOf("p1"), Long.MAX_VALUE, 0, 1, List.of(), List.of("web-2")))));
    try (ControlGatewayClient client = ControlGatewayClient.plaintext()) {
      CountDownLatch opened = new CountDownLatch(1);
      GatewayConnection connection = client.connect(gatewayOf(c1), new Opened(opened));
      assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
      connection.send(new GatewayMessage.Follow(0, "intruder", "testing"));
      connection.send(new GatewayMessage.Catalog(forged));
      connection.send(new GatewayMessage.Catalog(forgedDelta));
      await()
          .atMost(REPLICATED)
          .until(() -> c1.catalogueReplication().stats().forged() >= forgedBefore + 2);
      connection.close();
    }
    for (String name : agents.keySet()) {
      assertThat(instanceOn(name, "web-2")).as(name).isNotNull();
    }
    String scraped =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        c1.httpUri().resolve("/v1/agent/metrics?format=prometheus"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(scraped)
        .containsPattern("hivemind_catalog_replication_forged_total(\\{[^}]*\\})? [2-9]");
  }

  /**
   * A link that (re)opens is repaired by its digest exchange: a follower that comes back holding p1
   * at an old version is sent p1's state, and the gateway's own digest.
   */
  @Test
  @Order(3)
  void reopenedLink_isSentTheStatesItsDigestLacks() throws Exception {
    Agent c2 = agents.get("c2");
    String p1 = idOf("p1");
    java.util.concurrent.BlockingQueue<CatalogMessage> answers =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try (ControlGatewayClient client = ControlGatewayClient.plaintext()) {
      CountDownLatch opened = new CountDownLatch(1);
      GatewayConnection connection = client.connect(gatewayOf(c2), new Answers(opened, answers));
      assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
      connection.send(new GatewayMessage.Follow(0, "returning", "testing"));
      // Claims p1 at seq 0 of an old generation: behind what c2 holds.
      connection.send(
          new GatewayMessage.Catalog(
              WireCatalogCodec.encode(
                  new CatalogMessage.Digest(Map.of(p1, new OwnerVersion(0, 0)), true))));
      List<String> p1Instances = new java.util.ArrayList<>();
      boolean digestBack = false;
      long deadline = System.nanoTime() + REPLICATED.toNanos();
      while ((p1Instances.size() < 2 || !digestBack) && System.nanoTime() < deadline) {
        CatalogMessage answer = answers.poll(100, TimeUnit.MILLISECONDS);
        if (answer instanceof CatalogMessage.States states) {
          states.states().stream()
              .filter(state -> state.owner().equals(p1))
              .flatMap(state -> state.instances().stream())
              .forEach(instance -> p1Instances.add(instance.id()));
        } else if (answer instanceof CatalogMessage.Digest digest) {
          digestBack = digest.versions().containsKey(p1);
        }
      }
      connection.close();
      assertThat(p1Instances).contains("web-1", "web-2");
      assertThat(digestBack).isTrue();
    }
  }

  @Test
  @Order(4)
  void newAgent_isFilledByItsLinksDigestExchange() {
    start("p3", List.of("host"), null);
    awaitAdmitted(6);
    await()
        .atMost(REPLICATED)
        .untilAsserted(
            () -> {
              assertThat(instanceOn("p3", "web-1")).isNotNull();
              assertThat(instanceOn("p3", "web-2")).isNotNull();
            });
    register("p3", "web-3");
    awaitEverywhere("web-3", true);
  }

  @Test
  @Order(5)
  void plainAgentClosedWithoutLeaving_losesItsInstancesEverywhereAtItsCommittedRemoval() {
    register("p2", "web-p2");
    awaitEverywhere("web-p2", true);
    Agent p2 = agents.remove("p2");
    long closedAt = System.nanoTime();
    p2.close(); // no leave: to the others, a crash
    awaitAdmitted(5);
    long removedMillis = (System.nanoTime() - closedAt) / 1_000_000;
    awaitEverywhere("web-p2", false);
    log.info(
        "FIGURE p2 closed -> removal committed on every agent {} ms, instances gone everywhere {}"
            + " ms",
        removedMillis,
        (System.nanoTime() - closedAt) / 1_000_000);
    for (String name : agents.keySet()) {
      assertThat(instanceOn(name, "web-1")).as(name).isNotNull();
    }
  }

  // ---- fixtures ---------------------------------------------------------------------------

  private static void start(String name, List<String> roles, Integer bootstrapExpect) {
    List<String> seeds = agents.values().stream().map(a -> a.gossipAddress().toString()).toList();
    AgentSettings settings =
        CatalogAgentSettings.of(
            name, "testing", "it-catalog-repl", roles, bootstrapExpect, seeds, root);
    try {
      agents.put(name, Agent.start(AgentConfig.resolve(settings, name, root), "it"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every running agent's control view admits exactly {@code count} members. */
  private static void awaitAdmitted(int count) {
    await()
        .atMost(REMOVED.plus(FORMING))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                agents.values().stream()
                    .allMatch(
                        a ->
                            a.control().view().members().size() == count
                                && a.admission().map(s -> s.memberId() != null).orElse(false)));
  }

  private static String idOf(String name) {
    return agents.get(name).admission().orElseThrow().memberId();
  }

  private static Address gatewayOf(Agent agent) {
    return new Address("127.0.0.1", agent.config().control().gatewayBind().port());
  }

  private static void register(String name, String id) {
    agents
        .get(name)
        .catalogue()
        .register(
            new ServiceRegistration(
                "web", id, "127.0.0.1", 8080, List.of("it"), Map.of(), Weights.DEFAULT, List.of()),
            ServiceInstance.AGENT_SESSION)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private static ServiceInstance instanceOn(String name, String id) {
    for (CatalogEntry entry : agents.get(name).catalogue().view().instances("web")) {
      if (entry.instance().id().equals(id)) {
        return entry.instance();
      }
    }
    return null;
  }

  private static void awaitEverywhere(String id, boolean present) {
    await()
        .atMost(present ? REPLICATED : REMOVED)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              for (String name : agents.keySet()) {
                assertThat(instanceOn(name, id) != null)
                    .as(name + " holds " + id)
                    .isEqualTo(present);
              }
            });
  }

  /** Counts the connection's opening down; queues the catalogue messages the gateway sends. */
  private record Answers(CountDownLatch latch, java.util.Queue<CatalogMessage> answers)
      implements GatewayConnection.Listener {
    @Override
    public void onOpen() {
      latch.countDown();
    }

    @Override
    public void onMessage(GatewayMessage message) {
      if (message instanceof GatewayMessage.Catalog frame) {
        try {
          answers.add(WireCatalogCodec.decode(frame.frameBytes()));
        } catch (io.hivemind.core.catalog.CatalogDecodeException e) {
          throw new AssertionError("the gateway sent an undecodable catalogue frame", e);
        }
      }
    }

    @Override
    public void onClosed(String reason) {}
  }

  /** Counts the connection's opening down; ignores what the gateway sends. */
  private record Opened(CountDownLatch latch) implements GatewayConnection.Listener {
    @Override
    public void onOpen() {
      latch.countDown();
    }

    @Override
    public void onMessage(GatewayMessage message) {}

    @Override
    public void onClosed(String reason) {}
  }
}
