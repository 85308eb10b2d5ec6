package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ExternalServicesYaml;
import io.hivemind.server.catalog.ExternalServicesRegistrar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent catalogue registrations on real sockets (issue 11): three control agents and a plain
 * agent in this JVM on loopback. A registration made with {@code PUT /v1/catalog/register} on the
 * plain agent goes through the control log and is answered by every agent; it outlives the agent
 * that made it (unlike that agent's own instances, which go with its committed removal) and is
 * there on an agent that joins later; a deregistration removes it everywhere; with the control
 * plane degraded a write is refused with {@code no_quorum} while reads still answer. External
 * services of an agent's configuration are registered once it has joined, and proposing them again
 * (another start) changes nothing. The tests share one cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PersistentCatalogIT {

  /** Forming a group on a busy 2-core machine: gossip, then Ratis's first election. */
  private static final Duration FORMING = Duration.ofSeconds(60);

  /** A committed entry reaches a follower in milliseconds; this is room for a loaded machine. */
  private static final Duration REPLICATED = Duration.ofSeconds(20);

  /** A crash is committed as a removal after the removal rule's suspicion. */
  private static final Duration REMOVED = Duration.ofSeconds(90);

  private static final String REGISTRATION =
      "{\"Node\":\"ext-db\",\"Address\":\"127.0.0.42\",\"NodeMeta\":{\"kind\":\"external\"},"
          + "\"Service\":{\"ID\":\"pg-1\",\"Service\":\"pg\",\"Tags\":[\"primary\"],"
          + "\"Port\":5432},\"Check\":{\"CheckID\":\"pg-up\",\"Name\":\"pg up\","
          + "\"Status\":\"passing\",\"ServiceID\":\"pg-1\"}}";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path root;
  private static final Map<String, Agent> agents = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() {
    for (String name : List.of("c1", "c2", "c3")) {
      start(name, List.of("control"), 3);
    }
    start("p1", List.of("host"), null);
    awaitAdmitted(4);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Agent::close);
  }

  @Test
  @Order(1)
  void registerOnThePlainAgent_answeredByEveryAgent() {
    HttpResponse<String> put = put("p1", "/v1/catalog/register", REGISTRATION);

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).isEqualTo("true");
    // Answered once applied on p1: its own next read shows it at once.
    assertThat(get("p1", "/v1/catalog/service/pg").body()).contains("\"ServiceID\":\"pg-1\"");
    awaitOnEvery("/v1/catalog/service/pg", "\"Node\":\"ext-db\"", true);
    awaitOnEvery("/v1/health/service/pg?passing", "\"CheckID\":\"pg-up\"", true);
    assertThat(get("c2", "/v1/catalog/nodes").body()).contains("\"Node\":\"ext-db\"");
  }

  @Test
  @Order(2)
  void theRegisteringAgentCrashes_theRegistrationStaysAndANewAgentHasIt() {
    agents.remove("p1").close(); // no leave: to the others, a crash
    awaitAdmitted(3); // its removal is committed: its own instances would be gone now
    awaitOnEvery("/v1/catalog/service/pg", "\"ServiceID\":\"pg-1\"", true);

    start("p2", List.of("host"), null);
    awaitAdmitted(4);
    awaitOnEvery("/v1/catalog/service/pg", "\"ServiceID\":\"pg-1\"", true);
  }

  @Test
  @Order(3)
  void deregister_goneEverywhere() {
    HttpResponse<String> put =
        put("p2", "/v1/catalog/deregister", "{\"Node\":\"ext-db\",\"ServiceID\":\"pg-1\"}");

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    awaitOnEvery("/v1/catalog/service/pg", "pg-1", false);
    awaitOnEvery("/v1/catalog/nodes", "\"Node\":\"ext-db\"", true); // the node stays, as in Consul
  }

  @Test
  @Order(4)
  void configuredServices_registeredOnceJoined_andAgainWithoutChange() throws IOException {
    Path file = root.resolve("p2-services.yaml");
    Files.writeString(
        file,
        """
        services:
          - node: ext-smtp
            address: 127.0.0.43
            service: {service: smtp, port: 25}
        """);
    List<ControlCommand.CatalogRegister> services =
        ExternalServicesYaml.read(file, "it-catalog-persist");

    agents.get("p2").registerExternalServices(services);
    awaitOnEvery("/v1/catalog/service/smtp", "\"Node\":\"ext-smtp\"", true);
    long index = agents.get("c1").control().view().external().index();

    // Another start with the same file proposes the same entry again: committed, nothing changes.
    ExternalServicesRegistrar again =
        new ExternalServicesRegistrar(agents.get("c1")::control, () -> true, services);
    assertThat(again.attempt().orTimeout(30, TimeUnit.SECONDS).join()).isTrue();
    assertThat(agents.get("c1").control().view().external().index()).isEqualTo(index);
    assertThat(get("c1", "/v1/catalog/service/smtp").body()).containsOnlyOnce("ext-smtp\"");
  }

  @Test
  @Order(5)
  void degradedControlPlane_writeRefusedNoQuorum_readsStillAnswer() {
    assertThat(put("p2", "/v1/catalog/register", REGISTRATION).statusCode()).isEqualTo(200);
    awaitOnEvery("/v1/catalog/service/pg", "pg-1", true);

    agents.remove("c2").close();
    agents.remove("c3").close();

    await()
        .atMost(REMOVED)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              HttpResponse<String> refused =
                  put("p2", "/v1/catalog/deregister", "{\"Node\":\"ext-db\"}");
              assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
              assertThat(refused.body()).contains("\"error\":\"no_quorum\"");
            });
    for (String name : agents.keySet()) {
      HttpResponse<String> read = get(name, "/v1/catalog/service/pg");
      assertThat(read.statusCode()).as(name).isEqualTo(200);
      assertThat(read.body()).as(name).contains("pg-1");
    }
  }

  // ---- fixtures ---------------------------------------------------------------------------

  private static void start(String name, List<String> roles, Integer bootstrapExpect) {
    List<String> seeds = agents.values().stream().map(a -> a.gossipAddress().toString()).toList();
    AgentSettings settings =
        CatalogAgentSettings.of(
            name, "testing", "it-catalog-persist", roles, bootstrapExpect, seeds, root);
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

  private static void awaitOnEvery(String target, String text, boolean present) {
    await()
        .atMost(REPLICATED)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (String name : agents.keySet()) {
                HttpResponse<String> answer = get(name, target);
                assertThat(answer.statusCode()).as(name).isEqualTo(200);
                assertThat(answer.body().contains(text))
                    .as(name + " answers " + target + " with " + text)
                    .isEqualTo(present);
              }
            });
  }

  private static HttpResponse<String> get(String agent, String target) {
    return send(HttpRequest.newBuilder(agents.get(agent).httpUri().resolve(target)).GET());
  }

  private static HttpResponse<String> put(String agent, String target, String body) {
    return send(
        HttpRequest.newBuilder(agents.get(agent).httpUri().resolve(target))
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(45)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
