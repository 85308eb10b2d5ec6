package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul's KV API over the real pipeline, against one in-memory replica that applies a real {@code
 * ControlState}: shapes, headers, CAS, recurse and keys, consistency modes, blocking queries and
 * degraded mode. No socket, no wall clock.
 */
class KvHandlersTest {

  private static final int MAX_BODY_BYTES = 1024;
  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), MAX_BODY_BYTES);

  private final StubAgent agent = new StubAgent();
  private final MemoryControlPlane plane = new MemoryControlPlane();
  private final ApiChannelInitializer api =
      new ApiChannelInitializer(CONFIG, agent, new HttpApiStats());
  private final ApiConnection connection = new ApiConnection(api);
  private final ApiCalls calls = new ApiCalls(connection);

  {
    agent.control = plane;
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  @Test
  void putThenGet_consulShapeAndHeaders() throws IOException {
    Answer put = calls.request("PUT", "/v1/kv/app/config?flags=42", "hello");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).isEqualTo("true");
    long index = plane.view().index();

    Answer get = calls.get("/v1/kv/app/config");

    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body())
        .isEqualTo(
            "[{\"LockIndex\":0,\"Key\":\"app/config\",\"Flags\":42,\"Value\":\"aGVsbG8=\","
                + "\"CreateIndex\":"
                + index
                + ",\"ModifyIndex\":"
                + index
                + "}]");
    assertThat(get.headers().get("X-Consul-Index")).isEqualTo(Long.toString(index));
    assertThat(get.headers().get("X-Consul-KnownLeader")).isEqualTo("true");
    assertThat(get.headers().get("X-Consul-LastContact")).isEqualTo("0");
  }

  @Test
  void get_missingKey_404EmptyWithIndex() {
    Answer answer = calls.get("/v1/kv/nothing");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).isEmpty();
    assertThat(answer.headers().get("X-Consul-Index"))
        .isEqualTo(Long.toString(plane.view().index()));
  }

  @Test
  void get_raw_theValueBytes() {
    calls.request("PUT", "/v1/kv/a", "plain text");

    Answer answer = calls.get("/v1/kv/a?raw");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(answer.body()).isEqualTo("plain text");
  }

  @Test
  void put_emptyBody_valueNull() throws IOException {
    calls.request("PUT", "/v1/kv/empty", "");

    assertThat(calls.get("/v1/kv/empty").json().get(0).get("Value").isNull()).isTrue();
  }

  @Test
  void keyWithEscapesAndTrailingSlash_keptExactly() throws IOException {
    calls.request("PUT", "/v1/kv/dir%20one/sub/", "x");

    JsonNode entry = calls.get("/v1/kv/dir%20one/sub/").json().get(0);

    assertThat(entry.get("Key").asText()).isEqualTo("dir one/sub/");
    assertThat(calls.get("/v1/kv/dir%20one/sub").status()).isEqualTo(404);
  }

  @Test
  void recurse_everyEntryUnderThePrefixInKeyOrder() throws IOException {
    put("app/b", "2");
    put("app/a", "1");
    put("other", "3");

    Answer answer = calls.get("/v1/kv/app/?recurse");

    assertThat(answer.json().findValuesAsText("Key")).containsExactly("app/a", "app/b");
    assertThat(calls.get("/v1/kv/?recurse").json().findValuesAsText("Key"))
        .containsExactly("app/a", "app/b", "other");
    assertThat(calls.get("/v1/kv/none/?recurse").status()).isEqualTo(404);
  }

  @Test
  void keys_withSeparator_oneLevel() {
    put("app/a", "1");
    put("app/db/host", "h");
    put("app/db/port", "p");

    assertThat(calls.get("/v1/kv/app/?keys").body())
        .isEqualTo("[\"app/a\",\"app/db/host\",\"app/db/port\"]");
    assertThat(calls.get("/v1/kv/app/?keys&separator=/").body())
        .isEqualTo("[\"app/a\",\"app/db/\"]");
  }

  @Test
  void cas_zeroOnlyCreates_indexMustMatch_mismatchIsFalse() throws IOException {
    assertThat(calls.request("PUT", "/v1/kv/k?cas=0", "1").body()).isEqualTo("true");
    assertThat(calls.request("PUT", "/v1/kv/k?cas=0", "2").body()).isEqualTo("false");
    long modify = calls.get("/v1/kv/k").json().get(0).get("ModifyIndex").asLong();

    assertThat(calls.request("PUT", "/v1/kv/k?cas=" + (modify + 100), "3").body())
        .isEqualTo("false");
    assertThat(calls.request("PUT", "/v1/kv/k?cas=" + modify, "4").body()).isEqualTo("true");
    assertThat(value("k")).isEqualTo("4");
  }

  @Test
  void delete_oneKey_thenGone() {
    put("k", "v");

    assertThat(calls.request("DELETE", "/v1/kv/k", "").body()).isEqualTo("true");
    assertThat(calls.get("/v1/kv/k").status()).isEqualTo(404);
  }

  @Test
  void delete_recurse_everyKeyUnderThePrefix() {
    put("app/a", "1");
    put("app/b", "2");
    put("keep", "3");

    assertThat(calls.request("DELETE", "/v1/kv/app/?recurse", "").body()).isEqualTo("true");

    assertThat(calls.get("/v1/kv/app/?recurse").status()).isEqualTo(404);
    assertThat(calls.get("/v1/kv/keep").status()).isEqualTo(200);
  }

  @Test
  void delete_casMismatch_falseAndKept() throws IOException {
    put("k", "v");

    assertThat(calls.request("DELETE", "/v1/kv/k?cas=999999", "").body()).isEqualTo("false");
    assertThat(value("k")).isEqualTo("v");
  }

  @Test
  void badWrites_400() throws IOException {
    assertError(calls.request("PUT", "/v1/kv/", "v"), 400, "key_required");
    assertError(calls.request("DELETE", "/v1/kv/", ""), 400, "key_required");
    assertError(calls.request("DELETE", "/v1/kv/a?recurse&cas=1", ""), 400, "bad_cas");
    assertError(calls.request("PUT", "/v1/kv/a?flags=-1", "v"), 400, "bad_flags");
    assertError(calls.request("PUT", "/v1/kv/a?cas=x", "v"), 400, "bad_cas");
    assertError(calls.request("PUT", "/v1/kv/a?acquire=s1&release=s1", "v"), 400, "bad_lock");
    assertError(calls.request("PUT", "/v1/kv/a?acquire=s1&cas=0", "v"), 400, "bad_lock");
    assertError(calls.request("PUT", "/v1/kv/a?acquire=", "v"), 400, "bad_lock");
    assertError(calls.request("PUT", "/v1/kv/a?acquire=s1", "v"), 404, "no_session");
  }

  @Test
  void put_valueUpToConsulsLimit_overTheApisGeneralOne_andOver413() throws IOException {
    String large = "x".repeat(100 * 1024); // the API's other endpoints take 1024 bytes here
    assertThat(calls.request("PUT", "/v1/kv/large", large).body()).isEqualTo("true");
    assertThat(plane.view().kv().get("large").valueLength()).isEqualTo(large.length());

    assertError(
        calls.request("PUT", "/v1/kv/big", "x".repeat(ControlFieldRules.MAX_KV_VALUE_BYTES + 1)),
        413,
        "body_too_large");
    assertThat(plane.view().kv()).containsOnlyKeys("large");
  }

  @Test
  void refusedCommand_4xxWithTheRefusalsCode() throws IOException {
    MemoryControlPlane empty = new MemoryControlPlane(false);
    agent.control = empty;

    assertError(calls.request("PUT", "/v1/kv/a", "v"), 503, "not_bootstrapped");
  }

  @Test
  void invalidKey_refusedByTheStateMachine_400Invalid() throws IOException {
    Answer answer = calls.request("PUT", "/v1/kv/bad%01key", "v");

    assertError(answer, 400, "invalid");
    assertThat(plane.view().kv()).isEmpty();
  }

  @Test
  void wedgedControlPlane_503AfterTheTimeout_notForever() throws IOException {
    plane.wedged = true;
    assertThat(calls.send("PUT", "/v1/kv/k", "v", "")).isEmpty();

    connection.advance(ControlAnswers.TIMEOUT.minusMillis(1));
    assertThat(connection.answers()).isEmpty();
    connection.advance(Duration.ofMillis(1));

    assertError(ApiCalls.only(connection.answers()), 503, "no_quorum");
  }

  @Test
  void degraded_writesAndDefaultReads503_staleReadsAnswer() throws IOException {
    put("k", "v");
    plane.degraded = true;

    assertError(calls.request("PUT", "/v1/kv/k", "w"), 503, "no_quorum");
    assertError(calls.request("DELETE", "/v1/kv/k", ""), 503, "no_quorum");
    assertError(calls.get("/v1/kv/k"), 503, "no_quorum");
    assertError(calls.get("/v1/kv/k?consistent"), 503, "no_quorum");
    Answer stale = calls.get("/v1/kv/k?stale");
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.headers().get("X-Consul-KnownLeader")).isEqualTo("false");
    assertThat(value("k", "?stale")).isEqualTo("v");
  }

  @Test
  void blocking_answersWhenACommitPassesTheIndex() throws IOException {
    put("k", "v1");
    long index = plane.view().index();

    assertThat(calls.send("GET", "/v1/kv/k?index=" + index + "&wait=1m", "", "")).isEmpty();
    plane.apply(new ControlCommand.KvSet("k", bytes("v2"), 0, -1));
    connection.runPendingTasks();

    Answer answer = ApiCalls.only(connection.answers());
    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo(Long.toString(index + 1));
    assertThat(decode(answer.json().get(0).get("Value").asText())).isEqualTo("v2");
  }

  @Test
  void blocking_commitsThatLeaveTheAnswerAlone_doNotWakeIt() throws IOException {
    put("k", "v1");
    long index = plane.view().index();
    calls.send("GET", "/v1/kv/k?index=" + index + "&wait=1m", "", "");

    plane.apply(new ControlCommand.KvSet("other", bytes("x"), 0, -1));
    plane.apply(new ControlCommand.AppendEvent("tick", "node-2", bytes("")));
    connection.runPendingTasks();
    assertThat(connection.answers()).as("nothing the query asked about changed").isEmpty();

    plane.apply(new ControlCommand.KvSet("k", bytes("v2"), 0, -1));
    connection.runPendingTasks();

    Answer answer = ApiCalls.only(connection.answers());
    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo("" + plane.view().index());
    assertThat(decode(answer.json().get(0).get("Value").asText())).isEqualTo("v2");
  }

  @Test
  void blocking_unchangedUntilTheDeadline_answersWithTheLatestIndex() {
    put("k", "v1");
    calls.send("GET", "/v1/kv/k?index=" + plane.view().index() + "&wait=10s", "", "");
    plane.apply(new ControlCommand.KvSet("other", bytes("x"), 0, -1));
    connection.runPendingTasks();

    connection.advance(Duration.ofSeconds(10));

    Answer answer = ApiCalls.only(connection.answers());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("X-Consul-Index")).isEqualTo("" + plane.view().index());
    assertThat(plane.pendingWaits()).isZero();
  }

  @Test
  void blocking_replicaBehindTheIndex_answersOnceItPassesIt() {
    put("k", "v1");
    long ahead = plane.view().index() + 1;
    calls.send("GET", "/v1/kv/k?index=" + ahead + "&wait=1m", "", "");

    plane.apply(new ControlCommand.KvSet("other", bytes("x"), 0, -1));
    connection.runPendingTasks();
    assertThat(connection.answers()).as("index " + ahead + " not passed yet").isEmpty();

    plane.apply(new ControlCommand.KvSet("other", bytes("y"), 0, -1));
    connection.runPendingTasks();
    assertThat(connection.answers()).as("passed: its answer at the index is unknown").hasSize(1);
  }

  @Test
  void blocking_missingKey_wakesWhenItAppears() {
    calls.send("GET", "/v1/kv/new?index=" + plane.view().index() + "&wait=1m", "", "");

    plane.apply(new ControlCommand.KvSet("new", bytes("v"), 0, -1));
    connection.runPendingTasks();

    assertThat(ApiCalls.only(connection.answers()).status()).isEqualTo(200);
  }

  @Test
  void blocking_indexAlreadyPassed_answersAtOnce() {
    put("k", "v1");

    Answer answer = calls.get("/v1/kv/k?index=1&wait=1m");

    assertThat(answer.status()).isEqualTo(200);
  }

  @Test
  void blocking_atTheDeadline_answersTheCurrentStateAndCancelsItsWait() {
    put("k", "v1");
    long index = plane.view().index();
    calls.send("GET", "/v1/kv/k?index=" + index + "&wait=10s", "", "");

    connection.advance(Duration.ofSeconds(10));

    assertThat(ApiCalls.only(connection.answers()).status()).isEqualTo(200);
    assertThat(plane.pendingWaits()).isZero();
    assertThat(plane.cancelledWaits()).isEqualTo(1);
  }

  @Test
  void blocking_clientGoesAway_itsWaitIsCancelled() {
    put("k", "v1");
    calls.send("GET", "/v1/kv/k?index=" + plane.view().index() + "&wait=5m", "", "");
    assertThat(plane.pendingWaits()).isEqualTo(1);

    connection.disconnect();

    assertThat(plane.pendingWaits()).isZero();
  }

  @Test
  void blocking_manyOnOneConnection_answeredInTurn() {
    put("k", "v1");
    for (int i = 0; i < 3; i++) {
      calls.send("GET", "/v1/kv/k?index=" + plane.view().index() + "&wait=5m", "", "");
      plane.apply(new ControlCommand.KvSet("k", bytes("round " + i), 0, -1));
      connection.runPendingTasks();
      assertThat(connection.answers()).hasSize(1);
    }
    assertThat(plane.pendingWaits()).isZero();
  }

  private void put(String key, String value) {
    assertThat(calls.request("PUT", "/v1/kv/" + key, value).body()).isEqualTo("true");
  }

  private String value(String key) throws IOException {
    return value(key, "");
  }

  private String value(String key, String query) throws IOException {
    List<String> values = calls.get("/v1/kv/" + key + query).json().findValuesAsText("Value");
    return decode(values.get(0));
  }

  private static String decode(String base64) {
    return new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
