package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's {@code PUT /v1/txn} over the real pipeline, against one in-memory replica that applies a
 * real {@code ControlState}: Consul's shapes for an applied and a failed transaction, nothing
 * changed by a failed one, and a sentence for every malformed body. No socket, no wall clock.
 */
class TxnHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
  private final ApiCalls calls = new ApiCalls(connection);

  {
    agent.control = plane;
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  private static String kv(String verb, String key, String more) {
    return "{\"KV\":{\"Verb\":\"" + verb + "\",\"Key\":\"" + key + "\"" + more + "}}";
  }

  @Test
  void applied_answersEachOperationsEntry_inConsulsShape() throws IOException {
    calls.request("PUT", "/v1/kv/config/a", "one");
    long created = plane.view().index();

    Answer answer =
        calls.request(
            "PUT",
            "/v1/txn",
            "["
                + kv("set", "config/b", ",\"Value\":\"dHdv\",\"Flags\":3")
                + ","
                + kv("get", "config/b", "")
                + ","
                + kv("delete", "config/a", "")
                + ","
                + kv("check-not-exists", "config/a", "")
                + "]");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    long index = plane.view().index();
    assertThat(index).isGreaterThan(created);
    assertThat(answer.body())
        .isEqualTo(
            "{\"Results\":["
                + "{\"KV\":{\"LockIndex\":0,\"Key\":\"config/b\",\"Flags\":3,\"Value\":null,"
                + "\"CreateIndex\":"
                + index
                + ",\"ModifyIndex\":"
                + index
                + "}},"
                + "{\"KV\":{\"LockIndex\":0,\"Key\":\"config/b\",\"Flags\":3,\"Value\":\"dHdv\","
                + "\"CreateIndex\":"
                + index
                + ",\"ModifyIndex\":"
                + index
                + "}}],\"Errors\":null}");
    assertThat(plane.view().kv()).containsKey("config/b").doesNotContainKey("config/a");
  }

  @Test
  void failedOperation_409WithItsIndexAndWhy_andNothingChanges() throws IOException {
    calls.request("PUT", "/v1/kv/config/a", "one");
    long index = plane.view().kv().get("config/a").modifyIndex();

    Answer answer =
        calls.request(
            "PUT",
            "/v1/txn",
            "["
                + kv("set", "config/b", ",\"Value\":\"dHdv\"")
                + ","
                + kv("cas", "config/a", ",\"Value\":\"dHdv\",\"Index\":" + (index + 5))
                + "]");

    assertThat(answer.status()).as(answer.body()).isEqualTo(409);
    JsonNode body = answer.json();
    assertThat(body.get("Results").isNull()).isTrue();
    assertThat(body.get("Errors")).hasSize(1);
    assertThat(body.get("Errors").get(0).get("OpIndex").asInt()).isEqualTo(1);
    assertThat(body.get("Errors").get(0).get("What").asText())
        .contains("config/a")
        .contains("modify index " + index);
    assertThat(plane.view().kv()).doesNotContainKey("config/b");
  }

  @Test
  void malformed_400WithASentence_tooMany413() throws IOException {
    assertError(calls.request("PUT", "/v1/txn", "{}"), 400, "invalid_txn");
    assertError(calls.request("PUT", "/v1/txn", "[]"), 400, "invalid_txn");
    assertError(calls.request("PUT", "/v1/txn", ""), 400, "invalid_txn");
    assertError(calls.request("PUT", "/v1/txn", "[1]"), 400, "invalid_txn");
    Answer verb = calls.request("PUT", "/v1/txn", "[" + kv("frobnicate", "a", "") + "]");
    assertError(verb, 400, "invalid_txn");
    assertThat(verb.json().get("message").asText()).contains("frobnicate").contains("check-index");
    Answer base64 =
        calls.request("PUT", "/v1/txn", "[" + kv("set", "a", ",\"Value\":\"%%\"") + "]");
    assertError(base64, 400, "invalid_txn");
    assertThat(base64.json().get("message").asText()).contains("operation 0").contains("base64");
    Answer emptyKey =
        calls.request("PUT", "/v1/txn", "[" + kv("get", "a", "") + "," + kv("set", "", "") + "]");
    assertError(emptyKey, 400, "invalid_txn");
    assertThat(emptyKey.json().get("message").asText()).startsWith("operation 1 (set): KV key");
    Answer unknownField =
        calls.request("PUT", "/v1/txn", "[" + kv("get", "a", ",\"Colour\":1") + "]");
    assertError(unknownField, 400, "unknown_field");
    assertError(
        calls.request("PUT", "/v1/txn", "[{\"Node\":{\"Verb\":\"get\"}}]"), 400, "not_supported");
    assertError(calls.request("PUT", "/v1/txn", "[{}]"), 400, "invalid_txn");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append(kv("get", "k" + i, ""));
    }
    Answer tooMany = calls.request("PUT", "/v1/txn", many.append("]").toString());
    assertError(tooMany, 413, "too_many_operations");
    assertThat(tooMany.json().get("message").asText()).contains("(65 > 64)");
    assertThat(plane.view().kv()).isEmpty();
  }

  @Test
  void readOnly_answeredFromAView_staleWithoutAQuorum_withTheIndexHeaders() throws IOException {
    calls.request("PUT", "/v1/kv/config/a", "one");
    long index = plane.view().index();
    String reads = "[" + kv("get", "config/a", "") + "," + kv("get-tree", "config/", "") + "]";
    plane.degraded = true;

    Answer stale = calls.request("PUT", "/v1/txn?stale", reads);
    Answer consistent = calls.request("PUT", "/v1/txn", reads);
    Answer missing = calls.request("PUT", "/v1/txn?stale", "[" + kv("get", "none", "") + "]");

    assertThat(stale.status()).as(stale.body()).isEqualTo(200);
    assertThat(stale.json().get("Results").findValuesAsText("Key"))
        .containsExactly("config/a", "config/a");
    assertThat(stale.headers().get("X-Consul-Index")).isEqualTo(Long.toString(index));
    assertThat(plane.view().index()).as("nothing proposed").isEqualTo(index);
    assertError(consistent, 503, "no_quorum");
    assertThat(missing.status()).isEqualTo(409);
    assertThat(missing.json().get("Errors").get(0).get("What").asText())
        .isEqualTo("operation 0 (get 'none'): the key does not exist");
  }

  @Test
  void body_upToConsulsTxnLimit_overTheApisGeneralOne_andOver413() throws IOException {
    String value = "eHh4".repeat(25_000); // 100,000 base64 characters: over the 64 KiB here
    Answer large =
        calls.request("PUT", "/v1/txn", "[" + kv("set", "a", ",\"Value\":\"" + value + "\"") + "]");
    String tooLarge = "eHh4".repeat(TxnHandlers.MAX_BODY_BYTES / 4 + 1);
    Answer over =
        calls.request(
            "PUT", "/v1/txn", "[" + kv("set", "b", ",\"Value\":\"" + tooLarge + "\"") + "]");

    assertThat(large.status()).as(large.body()).isEqualTo(200);
    assertThat(plane.view().kv().get("a").valueLength()).isEqualTo(75_000);
    assertError(over, 413, "body_too_large");
  }

  @Test
  void degraded_503NoQuorum() throws IOException {
    plane.degraded = true;

    assertError(calls.request("PUT", "/v1/txn", "[" + kv("set", "a", "") + "]"), 503, "no_quorum");
  }
}
