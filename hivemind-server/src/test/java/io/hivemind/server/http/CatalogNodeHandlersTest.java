package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's reads about one node ({@code /v1/catalog/node/{node}}, {@code /v1/health/node/{node}})
 * and {@code /v1/catalog/datacenters} over the real pipeline and a real (synchronous) catalogue:
 * which instances a node holds, the node fields from the registry, Consul's answers for an unknown
 * node, and blocking on the node's reads.
 */
class CatalogNodeHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);

  private final StubAgent agent = new StubAgent();
  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private final ApiChannelInitializer api =
      new ApiChannelInitializer(CONFIG, agent, catalogue, new HttpApiStats());
  private final ApiConnection connection = new ApiConnection(api);
  private final ApiCalls calls = new ApiCalls(connection);
  private final ApiConnection watchConnection = new ApiConnection(api);
  private final ApiCalls watch = new ApiCalls(watchConnection);

  @AfterEach
  void finish() {
    connection.close();
    watchConnection.close();
  }

  private void register(String body) {
    Answer answer = calls.request("PUT", "/v1/agent/service/register", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  /** A registry with node-9, which holds web-9; this agent (node-1) holds web-1 and db-1. */
  private void twoNodes() {
    MemoryControlPlane plane = new MemoryControlPlane();
    agent.control = plane;
    plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "node-9-id",
                "node-9",
                new Address("10.0.0.9", 7360),
                List.of("catalog"),
                "zone-b",
                "host-9",
                0,
                0)));
    register(
        "{\"Name\":\"web\",\"ID\":\"web-1\",\"Port\":80,\"Tags\":[\"a\"],"
            + "\"Check\":{\"CheckID\":\"w1\",\"TTL\":\"10s\"}}");
    register(
        "{\"Name\":\"db\",\"ID\":\"db-1\",\"Port\":5432,"
            + "\"Check\":{\"CheckID\":\"d1\",\"TTL\":\"10s\",\"Status\":\"passing\"}}");
    catalogue.applyForeign(
        "node-9-id", List.of(MemoryCatalogue.instance("node-9-id", "web", "web-9", 90)));
  }

  @Test
  void catalogNode_aRegisteredMember_itsNodeFieldsAndOnlyItsInstances() throws IOException {
    twoNodes();

    Answer answer = calls.get("/v1/catalog/node/node-9");
    JsonNode node = answer.json();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(node.get("Node").get("Node").asText()).isEqualTo("node-9");
    assertThat(node.get("Node").get("ID").asText()).isEqualTo("node-9-id");
    assertThat(node.get("Node").get("Address").asText()).isEqualTo("10.0.0.9");
    assertThat(node.get("Node").get("Datacenter").asText()).isEqualTo("main");
    assertThat(node.get("Node").get("Meta").get("zone").asText()).isEqualTo("zone-b");
    assertThat(node.get("Services").fieldNames()).toIterable().containsExactly("web-9");
    JsonNode web9 = node.get("Services").get("web-9");
    assertThat(web9.get("Service").asText()).isEqualTo("web");
    assertThat(web9.get("Port").asInt()).isEqualTo(90);
    assertThat(Long.parseLong(answer.headers().get("X-Consul-Index"))).isPositive();
  }

  @Test
  void catalogNode_thisAgentBeforeTheRegistryListsIt_itsOwnInstances() throws IOException {
    twoNodes();

    JsonNode node = calls.get("/v1/catalog/node/node-1").json();

    assertThat(node.get("Node").get("Node").asText()).isEqualTo("node-1");
    assertThat(node.get("Services").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("web-1", "db-1");
    assertThat(node.get("Services").get("web-1").get("Tags").get(0).asText()).isEqualTo("a");
  }

  @Test
  void unknownNode_consulsAnswers_nullAndAnEmptyList() {
    twoNodes();

    Answer node = calls.get("/v1/catalog/node/nobody");
    Answer checks = calls.get("/v1/health/node/nobody");

    assertThat(node.status()).isEqualTo(200);
    assertThat(node.body()).isEqualTo("null");
    assertThat(node.headers().get("X-Consul-Index")).isNotNull();
    assertThat(checks.status()).isEqualTo(200);
    assertThat(checks.body()).isEqualTo("[]");
  }

  @Test
  void healthNode_theChecksOfTheNodesInstancesOnly() throws IOException {
    twoNodes();

    JsonNode own = calls.get("/v1/health/node/node-1").json();
    JsonNode other = calls.get("/v1/health/node/node-9").json();

    assertThat(own.findValuesAsText("CheckID")).containsExactlyInAnyOrder("w1", "d1");
    assertThat(own.findValuesAsText("Node")).containsOnly("node-1");
    assertThat(own.findValuesAsText("Status")).containsExactlyInAnyOrder("critical", "passing");
    assertThat(other.findValuesAsText("ServiceID")).doesNotContain("web-1", "db-1");
  }

  private JsonNode get(String path, String filter) throws IOException {
    Answer answer =
        calls.get(path + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  @Test
  void nodeReads_filterKeepsTheNodesServicesAndChecksItSelects() throws IOException {
    twoNodes();

    JsonNode node = get("/v1/catalog/node/node-1", "Service == db");
    JsonNode checks = get("/v1/health/node/node-1", "Status == passing");

    assertThat(node.get("Node").get("Node").asText()).isEqualTo("node-1");
    assertThat(node.get("Services").fieldNames()).toIterable().containsExactly("db-1");
    assertThat(checks.findValuesAsText("CheckID")).containsExactly("d1");
    assertThat(get("/v1/catalog/node/node-5", "Service == db").isNull()).isTrue();
    assertError(calls.get("/v1/health/node/node-1?filter=Status"), 400, "bad_filter");
  }

  @Test
  void nodeMeta_keepsTheInstancesChecksAndNodesOfMatchingNodes() throws IOException {
    twoNodes();

    assertThat(
            calls
                .get("/v1/catalog/service/web?node-meta=zone:zone-b")
                .json()
                .findValuesAsText("ServiceID"))
        .containsExactly("web-9");
    assertThat(
            calls
                .get("/v1/health/service/web?node-meta=zone:zone-b&node-meta=host:host-9")
                .json()
                .size())
        .isEqualTo(1);
    assertThat(calls.get("/v1/health/service/web?node-meta=zone:elsewhere").json()).isEmpty();
    assertThat(calls.get("/v1/catalog/services?node-meta=zone:zone-b").json().fieldNames())
        .toIterable()
        .containsExactly("web");
    assertThat(calls.get("/v1/catalog/nodes?node-meta=zone:zone-b").json().findValuesAsText("Node"))
        .containsExactly("node-9");
    assertThat(get("/v1/catalog/nodes", "Meta.host == host-9").findValuesAsText("Node"))
        .containsExactly("node-9");
  }

  @Test
  void blocking_catalogNode_wakesWhenTheReplicaChanges() throws IOException {
    twoNodes();
    String index = calls.get("/v1/catalog/node/node-1").headers().get("X-Consul-Index");

    assertThat(watch.send("GET", "/v1/catalog/node/node-1?index=" + index + "&wait=1m", "", ""))
        .isEmpty();
    register("{\"Name\":\"cache\",\"ID\":\"cache-1\",\"Port\":6379}");
    watchConnection.runPendingTasks();

    List<Answer> woken = watchConnection.answers();
    assertThat(woken).hasSize(1);
    assertThat(woken.get(0).json().get("Services").has("cache-1")).isTrue();
    assertThat(Long.parseLong(woken.get(0).headers().get("X-Consul-Index")))
        .isGreaterThan(Long.parseLong(index));
  }

  @Test
  void datacenters_theCommittedClusterOrThisAgents() throws IOException {
    assertThat(calls.get("/v1/catalog/datacenters").body()).isEqualTo("[\"main\"]");
    agent.control = new MemoryControlPlane();

    Answer answer = calls.get("/v1/catalog/datacenters");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get(0).asText()).isEqualTo("main");
  }
}
