package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The status, operator and catalog endpoints over the API's real pipeline on an embedded
 * connection, against an agent with no control plane ({@link NoControlPlane}: degraded) and with an
 * in-memory one ({@link MemoryControlPlane}). No socket, no wall clock.
 */
class ControlHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  private final StubAgent agent = new StubAgent();
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
  private final ApiCalls api = new ApiCalls(connection);

  @AfterEach
  void finish() {
    connection.close();
  }

  @Test
  void leader_noControlPlane_emptyString() {
    Answer answer = api.get("/v1/status/leader");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("\"\"");
  }

  @Test
  void peers_noControlPlane_emptyArray() {
    assertThat(api.get("/v1/status/peers").body()).isEqualTo("[]");
  }

  @Test
  void controlStatus_noControlPlane_degradedAtIndexZero() throws IOException {
    Answer answer = api.get("/v1/control/status");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"Degraded\":true,\"Leader\":\"\",\"Term\":0,\"CommitIndex\":0,\"AppliedIndex\":0,"
                + "\"Epoch\":0,\"Cluster\":\"\",\"Members\":0,\"Peers\":[]}");
  }

  @ParameterizedTest
  @CsvSource({
    "PUT,/v1/kv/a",
    "DELETE,/v1/kv/a",
    "PUT,/v1/event/fire/deploy",
    "GET,/v1/kv/a",
    "GET,/v1/catalog/nodes",
    "GET,/v1/event/list",
    "POST,/v1/operator/raft/transfer-leader?id=node-2",
    "DELETE,/v1/operator/raft/peer?id=node-2"
  })
  void writesAndConsistentReads_noControlPlane_503NoQuorum(String method, String target)
      throws IOException {
    Answer answer = api.request(method, target, "");

    assertError(answer, 503, "no_quorum");
    assertThat(answer.json().get("message").asText()).contains("no control plane");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void staleRead_noControlPlane_answersFromTheEmptyReplica() {
    Answer answer = api.get("/v1/kv/a?stale");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo("1");
    assertThat(answer.headers().get("X-Consul-KnownLeader")).isEqualTo("false");
  }

  @Test
  void staleCatalog_noControlPlane_noNodes() {
    Answer answer = api.get("/v1/catalog/nodes?stale");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("[]");
  }

  @Test
  void blockingStaleRead_noCommit_answersAtTheDeadlineNotBefore() {
    assertThat(api.send("GET", "/v1/kv/a?stale&index=1&wait=30s", "", "")).isEmpty();

    connection.advance(Duration.ofSeconds(29));
    assertThat(connection.answers()).isEmpty();

    connection.advance(Duration.ofSeconds(1));
    assertThat(ApiCalls.only(connection.answers()).status()).isEqualTo(404);
  }

  @Test
  void blockingRead_outlastsTheIdleTimeout() {
    assertThat(api.send("GET", "/v1/kv/a?stale&index=1&wait=5m", "", "")).isEmpty();

    connection.advance(Duration.ofSeconds(ApiChannelInitializer.IDLE_TIMEOUT_SECONDS + 1));
    assertThat(connection.isOpen()).as("waiting is not idling").isTrue();

    connection.advance(Duration.ofMinutes(3));
    assertThat(ApiCalls.only(connection.answers()).status()).isEqualTo(404);
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void blockingRead_defaultWaitIsFiveMinutes() {
    assertThat(api.send("GET", "/v1/kv/a?stale&index=1", "", "")).isEmpty();

    connection.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(connection.answers()).isEmpty();
    connection.advance(Duration.ofSeconds(1));
    assertThat(connection.answers()).hasSize(1);
  }

  @Test
  void blockingRead_waitOverTenMinutes_cutToTen() {
    assertThat(api.send("GET", "/v1/kv/a?stale&index=1&wait=1h", "", "")).isEmpty();

    connection.advance(Duration.ofMinutes(10));
    assertThat(connection.answers()).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({
    "/v1/kv/a?index=x,bad_index",
    "/v1/kv/a?index=-1,bad_index",
    "/v1/kv/a?index=1&wait=soon,bad_wait",
    "/v1/kv/a?index=1&wait=10,bad_wait",
    "/v1/kv/a?stale&consistent,bad_consistency",
    "/v1/kv/,key_required",
    "/v1/kv/a?raw&recurse,bad_request"
  })
  void badReadParameters_400(String target, String code) throws IOException {
    assertError(api.get(target), 400, code);
  }

  @Test
  void transferLeader_withoutId_400() throws IOException {
    assertError(api.request("POST", "/v1/operator/raft/transfer-leader", ""), 400, "id_required");
  }

  @Test
  void removePeer_bothIdAndAddress_400() throws IOException {
    assertError(
        api.request("DELETE", "/v1/operator/raft/peer?id=a&address=b:1", ""), 400, "id_required");
  }

  @Test
  void kvPut_takesABody_otherControlEndpointsDoNot() throws IOException {
    assertError(api.request("PUT", "/v1/kv/a", "value"), 503, "no_quorum");
    assertError(
        api.request("POST", "/v1/operator/raft/transfer-leader?id=x", "body"),
        400,
        "unexpected_body");
  }
}
