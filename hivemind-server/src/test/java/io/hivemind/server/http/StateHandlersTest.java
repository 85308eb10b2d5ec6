package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import io.hivemind.server.http.ApiConnection.Answer;
import io.hivemind.server.state.StateAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/state} over the real pipeline against a scripted store: what each result becomes
 * (status, body, headers), what each request becomes (the operation and routing version), and the
 * 400s. No socket, no wall clock.
 */
class StateHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  private final StubAgent agent = new StubAgent();
  private final List<StateOp> ops = new ArrayList<>();
  private final List<Long> versions = new ArrayList<>();
  private StateAnswer next = answer(new StateResult.Absent(), false);
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, new HttpApiStats()));
  private final ApiCalls calls = new ApiCalls(connection);

  {
    agent.state =
        (op, routed) -> {
          ops.add(op);
          versions.add(routed);
          return CompletableFuture.completedFuture(next);
        };
  }

  @AfterEach
  void finish() {
    connection.close();
  }

  private static StateAnswer answer(StateResult result, boolean forwarded) {
    return new StateAnswer(result, 12, "member-b", forwarded);
  }

  @Test
  void get_found_rawValueWithVersionExpiryAndRouting() {
    next = answer(new StateResult.Found("hello".getBytes(StandardCharsets.UTF_8), 7, 1234), true);

    Answer answer =
        calls
            .send("GET", "/v1/state/sessions/user/42", "", "X-Hivemind-Table-Version: 11\r\n")
            .get(0);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("hello");
    assertThat(answer.headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(answer.headers().get("X-Hivemind-Version")).isEqualTo("7");
    assertThat(answer.headers().get("X-Hivemind-Expires")).isEqualTo("1234");
    assertThat(answer.headers().get("X-Hivemind-Table-Version")).isEqualTo("12");
    assertThat(answer.headers().get("X-Hivemind-Owner")).isEqualTo("member-b");
    assertThat(answer.headers().get("X-Hivemind-Forwarded")).isEqualTo("true");
    assertThat(ops).containsExactly(new StateOp.Get("sessions", "user/42"));
    assertThat(versions).containsExactly(11L);
  }

  @Test
  void get_absent_404_withoutExpiryOrForwarded() throws IOException {
    Answer answer = calls.get("/v1/state/m/k");

    assertError(answer, 404, "not_found");
    assertThat(answer.headers().get("X-Hivemind-Forwarded")).isNull();
    assertThat(answer.headers().get("X-Hivemind-Owner")).isEqualTo("member-b");
    assertThat(versions).containsExactly(0L);
  }

  @Test
  void put_withTtl_isAPutOfThoseMillis_answeringItsVersion() {
    next = answer(new StateResult.Written(5), false);

    Answer answer = calls.request("PUT", "/v1/state/m/k?ttl=1m30s", "v");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"version\":5}");
    StateOp.Put put = (StateOp.Put) ops.get(0);
    assertThat(put.ttlMillis()).isEqualTo(90_000);
    assertThat(new String(put.value(), StandardCharsets.UTF_8)).isEqualTo("v");
  }

  @Test
  void put_withCas_isACompareAndSet_andAConflictIs409WithTheCurrentVersion() throws IOException {
    next = answer(new StateResult.Conflict(9), false);

    Answer answer = calls.request("PUT", "/v1/state/m/k?cas=3", "v");

    assertError(answer, 409, "cas_conflict");
    assertThat(answer.headers().get("X-Hivemind-Version")).isEqualTo("9");
    assertThat(((StateOp.CompareAndSet) ops.get(0)).expectedVersion()).isEqualTo(3);
  }

  @Test
  void put_ofAValueLargerThanTheGeneralBodyLimit_isAccepted() {
    next = answer(new StateResult.Written(1), false);
    String value = "x".repeat(4096); // the API's other endpoints take 1024 bytes here

    Answer answer = calls.request("PUT", "/v1/state/m/k", value);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(((StateOp.Put) ops.get(0)).value()).hasSize(4096);
  }

  @Test
  void delete_answersWhetherTheEntryExisted() {
    next = answer(new StateResult.Deleted(true), false);

    Answer answer = calls.request("DELETE", "/v1/state/m/k", "");

    assertThat(answer.body()).isEqualTo("{\"deleted\":true}");
    assertThat(ops).containsExactly(new StateOp.Delete("m", "k"));
  }

  @Test
  void unavailable_is503StateUnavailableWithTheReason() throws IOException {
    next =
        answer(
            new StateResult.Unavailable(StateResult.UnavailableReason.NO_LEASE, "the lease lapsed"),
            false);

    Answer answer = calls.request("PUT", "/v1/state/m/k", "v");

    assertError(answer, 503, "state_unavailable");
    assertThat(answer.json().get("message").asText()).isEqualTo("no_lease");
  }

  @Test
  void redirect_is503StateMoved() throws IOException {
    next = answer(new StateResult.Redirect("member-c", 13), true);

    Answer answer = calls.request("DELETE", "/v1/state/m/k", "");

    assertError(answer, 503, "state_moved");
  }

  @Test
  void badInput_400WithOneSentence_andNothingSubmitted() throws IOException {
    assertError(calls.request("PUT", "/v1/state/m/k?ttl=soon", "v"), 400, "bad_ttl");
    assertError(calls.request("PUT", "/v1/state/m/k?cas=-1", "v"), 400, "bad_cas");
    assertError(calls.get("/v1/state/no%20spaces/k"), 400, "bad_request");
    assertError(
        calls.send("GET", "/v1/state/m/k", "", "X-Hivemind-Table-Version: x\r\n").get(0),
        400,
        "bad_table_version");
    assertThat(ops).isEmpty();
  }
}
