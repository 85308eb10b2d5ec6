package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's persistent catalogue writes ({@code PUT /v1/catalog/register|deregister}) over the real
 * pipeline, against an in-memory control plane applying a real {@code ControlState} and an
 * in-memory replica: the write goes through the log, reads merge it with the replica's instances,
 * indexes never fall and blocking queries wake. No socket, no wall clock.
 */
class CatalogWriteHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);

  private static final String EXTERNAL =
      "{\"Datacenter\":\"main\",\"Node\":\"google\",\"Address\":\"www.google.com\","
          + "\"TaggedAddresses\":{\"wan\":\"198.51.100.1\"},\"NodeMeta\":{\"kind\":\"saas\"},"
          + "\"Service\":{\"ID\":\"search-1\",\"Service\":\"search\",\"Tags\":[\"v1\"],"
          + "\"Port\":443,\"Meta\":{\"tls\":\"yes\"},\"Weights\":{\"Passing\":5,\"Warning\":1}},"
          + "\"Check\":{\"CheckID\":\"search-alive\",\"Name\":\"alive\",\"Status\":\"passing\","
          + "\"ServiceID\":\"search-1\"}}";

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final MemoryCatalogue catalogue = new MemoryCatalogue();
  private final ApiChannelInitializer api =
      new ApiChannelInitializer(CONFIG, agent, catalogue, new HttpApiStats());
  private final ApiConnection connection = new ApiConnection(api);
  private final ApiCalls calls = new ApiCalls(connection);
  private final ApiConnection watchConnection = new ApiConnection(api);
  private final ApiCalls watch = new ApiCalls(watchConnection);

  {
    agent.control = plane;
  }

  @AfterEach
  void finish() {
    connection.close();
    watchConnection.close();
  }

  private void ok(String path, String body) {
    Answer answer = calls.request("PUT", path, body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("true");
  }

  private long index(String target) {
    return Long.parseLong(calls.get(target).headers().get("X-Consul-Index"));
  }

  @Test
  void register_thenEveryReadShowsTheExternalService() throws IOException {
    ok("/v1/catalog/register", EXTERNAL);

    assertThat(calls.get("/v1/catalog/services").body()).isEqualTo("{\"search\":[\"v1\"]}");
    JsonNode service = calls.get("/v1/catalog/service/search").json().get(0);
    assertThat(service.get("Node").asText()).isEqualTo("google");
    assertThat(service.get("Address").asText()).isEqualTo("www.google.com");
    assertThat(service.get("ServiceID").asText()).isEqualTo("search-1");
    assertThat(service.get("ServicePort").asInt()).isEqualTo(443);
    assertThat(service.get("ServiceWeights").get("Passing").asInt()).isEqualTo(5);
    assertThat(service.get("NodeMeta").get("kind").asText()).isEqualTo("saas");
    assertThat(service.get("TaggedAddresses").get("wan").asText()).isEqualTo("198.51.100.1");
    JsonNode health = calls.get("/v1/health/service/search?passing").json();
    assertThat(health).hasSize(1);
    assertThat(health.get(0).get("Checks").get(0).get("CheckID").asText())
        .isEqualTo("search-alive");
    assertThat(health.get(0).get("Checks").get(0).get("Type").asText()).isEmpty();
    assertThat(calls.get("/v1/health/checks/search").json()).hasSize(1);
    assertThat(calls.get("/v1/health/state/passing").json()).hasSize(1);
    JsonNode nodes = calls.get("/v1/catalog/nodes").json();
    assertThat(nodes.findValuesAsText("Node")).contains("google");
  }

  @Test
  void register_checkWithoutStatus_isCriticalAndFilteredByPassing() throws IOException {
    ok(
        "/v1/catalog/register",
        "{\"Node\":\"db-ext\",\"Address\":\"10.1.1.1\",\"Service\":{\"Service\":\"pg\"},"
            + "\"Checks\":[{\"Name\":\"pg-up\",\"ServiceID\":\"pg\"}]}");

    assertThat(calls.get("/v1/health/service/pg?passing").json()).isEmpty();
    JsonNode all = calls.get("/v1/health/service/pg").json();
    assertThat(all.get(0).get("Service").get("ID").asText()).isEqualTo("pg");
    assertThat(all.get(0).get("Checks").get(0).get("Status").asText()).isEqualTo("critical");
    assertThat(calls.get("/v1/health/state/critical").json()).hasSize(1);
  }

  @Test
  void register_mergesWithTheReplicasInstancesOfTheSameService() throws IOException {
    Answer own =
        calls.request(
            "PUT", "/v1/agent/service/register", "{\"Name\":\"search\",\"ID\":\"s-0\",\"Port\":1}");
    assertThat(own.status()).isEqualTo(200);

    ok("/v1/catalog/register", EXTERNAL);

    assertThat(calls.get("/v1/catalog/service/search").json().findValuesAsText("ServiceID"))
        .containsExactly("s-0", "search-1");
    // The agent's own services stay its own: the persistent one is not the agent's.
    assertThat(calls.get("/v1/agent/services").json().fieldNames())
        .toIterable()
        .containsExactly("s-0");
  }

  @Test
  void deregister_serviceThenNode_goneAndIndexesNeverFall() throws IOException {
    ok("/v1/catalog/register", EXTERNAL);
    long servicesIndex = index("/v1/catalog/services");
    long searchIndex = index("/v1/catalog/service/search");

    ok("/v1/catalog/deregister", "{\"Node\":\"google\",\"ServiceID\":\"search-1\"}");

    assertThat(calls.get("/v1/catalog/service/search").json()).isEmpty();
    assertThat(index("/v1/catalog/services")).isGreaterThan(servicesIndex);
    assertThat(index("/v1/catalog/service/search")).isGreaterThan(searchIndex);
    assertThat(calls.get("/v1/catalog/nodes").json().findValuesAsText("Node")).contains("google");

    ok("/v1/catalog/deregister", "{\"Node\":\"google\"}");
    assertThat(calls.get("/v1/catalog/nodes").json().findValuesAsText("Node"))
        .doesNotContain("google");
  }

  @Test
  void blocking_wakesOnAPersistentChange() {
    long index = index("/v1/catalog/services");

    assertThat(watch.send("GET", "/v1/catalog/services?index=" + index + "&wait=1m", "", ""))
        .isEmpty();
    ok("/v1/catalog/register", EXTERNAL);

    watchConnection.runPendingTasks();
    List<Answer> woken = watchConnection.answers();
    assertThat(woken).hasSize(1);
    assertThat(woken.get(0).body()).isEqualTo("{\"search\":[\"v1\"]}");
    assertThat(Long.parseLong(woken.get(0).headers().get("X-Consul-Index"))).isGreaterThan(index);
    assertThat(catalogue.pendingWaits()).isZero();
    assertThat(plane.pendingWaits()).isZero();
  }

  @Test
  void blocking_noChange_answersAtTheDeadline_releasingBothWaits() {
    ok("/v1/catalog/register", EXTERNAL);
    String index = calls.get("/v1/catalog/service/search").headers().get("X-Consul-Index");

    watch.send("GET", "/v1/catalog/service/search?index=" + index + "&wait=16s", "", "");
    watchConnection.advance(Duration.ofSeconds(18));

    List<Answer> answers = watchConnection.answers();
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).headers().get("X-Consul-Index")).isEqualTo(index);
    assertThat(catalogue.pendingWaits()).isZero();
    assertThat(plane.pendingWaits()).isZero();
  }

  @Test
  void blocking_otherControlEntries_doNotWakeTheQuery() {
    long index = index("/v1/catalog/services");

    watch.send("GET", "/v1/catalog/services?index=" + index + "&wait=1m", "", "");
    calls.request("PUT", "/v1/kv/unrelated", "x");

    watchConnection.runPendingTasks();
    assertThat(watchConnection.answers()).isEmpty();
  }

  @Test
  void badBodies_400WithASentence() throws IOException {
    assertError(
        calls.request("PUT", "/v1/catalog/register", "{\"Node\":\"n\"}"),
        400,
        CatalogRegisterJson.CODE);
    assertError(
        calls.request(
            "PUT", "/v1/catalog/register", "{\"Node\":\"n\",\"Address\":\"a\",\"Colour\":1}"),
        400,
        "unknown_field");
    assertError(
        calls.request(
            "PUT",
            "/v1/catalog/register",
            "{\"Node\":\"n\",\"Address\":\"a\",\"Datacenter\":\"elsewhere\"}"),
        400,
        CatalogRegisterJson.CODE);
    assertError(
        calls.request(
            "PUT",
            "/v1/catalog/register",
            "{\"Node\":\"n\",\"Address\":\"a\",\"Service\":{\"Service\":\"bad name\"}}"),
        400,
        CatalogRegisterJson.CODE);
    assertError(
        calls.request(
            "PUT",
            "/v1/catalog/register",
            "{\"Node\":\"n\",\"Address\":\"a\",\"Check\":{\"CheckID\":\"c\",\"Status\":\"meh\"}}"),
        400,
        CatalogRegisterJson.CODE);
    assertError(
        calls.request("PUT", "/v1/catalog/deregister", "{}"), 400, CatalogRegisterJson.CODE);
    assertError(calls.request("PUT", "/v1/catalog/register", "not json"), 400, "bad_json");
  }

  @Test
  void register_checkOfAnUnknownService_refusedByTheStateMachine400() throws IOException {
    Answer answer =
        calls.request(
            "PUT",
            "/v1/catalog/register",
            "{\"Node\":\"n\",\"Address\":\"a\",\"Check\":{\"CheckID\":\"c\",\"ServiceID\":\"x\"}}");

    assertError(answer, 400, "invalid");
    assertThat(answer.json().get("message").asText()).contains("does not have");
  }

  @Test
  void degraded_writesRefused503_readsStillAnswer() throws IOException {
    ok("/v1/catalog/register", EXTERNAL);
    plane.degraded = true;

    assertError(calls.request("PUT", "/v1/catalog/register", EXTERNAL), 503, "no_quorum");
    assertError(
        calls.request("PUT", "/v1/catalog/deregister", "{\"Node\":\"google\"}"), 503, "no_quorum");
    Answer read = calls.get("/v1/catalog/service/search");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).hasSize(1);
  }
}
