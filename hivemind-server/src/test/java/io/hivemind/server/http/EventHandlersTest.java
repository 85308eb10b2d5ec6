package io.hivemind.server.http;

import static io.hivemind.server.http.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event log's endpoints (fire, list with blocking, the server-sent stream) over the real
 * pipeline against one in-memory replica that applies a real {@code ControlState}.
 */
class EventHandlersTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

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

  @Test
  void consulsEndpoints_answerConsulsExactEventShape_unlessAskedForDetail() throws IOException {
    calls.request("PUT", "/v1/event/fire/deploy", "v1");

    JsonNode fired = calls.request("PUT", "/v1/event/fire/deploy", "v2").json();
    JsonNode listed = calls.get("/v1/event/list?name=deploy").json().get(0);

    // Strict clients (kiwiproject's consul-client) refuse a field Consul's UserEvent lacks.
    List<String> consul =
        List.of(
            "ID",
            "Name",
            "Payload",
            "NodeFilter",
            "ServiceFilter",
            "TagFilter",
            "Version",
            "LTime");
    assertThat(fired.fieldNames()).toIterable().containsExactlyElementsOf(consul);
    assertThat(listed.fieldNames()).toIterable().containsExactlyElementsOf(consul);
    assertThat(calls.get("/v1/event/list?detail").json().get(0).has("Subject")).isTrue();
  }

  @Test
  void fire_answersTheLoggedEventInConsulsShape() throws IOException {
    Answer answer = calls.request("PUT", "/v1/event/fire/deploy?detail", "v42");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode event = answer.json();
    long index = plane.view().index();
    assertThat(event.get("ID").asText()).isEqualTo(index + "-0");
    assertThat(event.get("Name").asText()).isEqualTo("deploy");
    assertThat(decode(event.get("Payload").asText())).isEqualTo("v42");
    assertThat(event.get("LTime").asLong()).isEqualTo(index);
    assertThat(event.get("Index").asLong()).isEqualTo(index);
    assertThat(event.get("Subject").asText()).isEqualTo("node-1");
    assertThat(event.get("Version").asInt()).isEqualTo(1);
    assertThat(event.get("NodeFilter").asText()).isEmpty();
    assertThat(event.get("TimeMillis").asLong()).isEqualTo(plane.timeMillis);
  }

  @Test
  void fire_filters_400NotSupported() throws IOException {
    assertError(calls.request("PUT", "/v1/event/fire/deploy?node=web", ""), 400, "not_supported");
  }

  @Test
  void fire_nameTheStateMachineRefuses_400Invalid() throws IOException {
    assertError(calls.request("PUT", "/v1/event/fire/" + "x".repeat(65), ""), 400, "invalid");
  }

  @Test
  void fire_degraded_503() throws IOException {
    plane.degraded = true;

    assertError(calls.request("PUT", "/v1/event/fire/deploy", "x"), 503, "no_quorum");
  }

  @Test
  void list_oldestFirst_nameFilter() throws IOException {
    calls.request("PUT", "/v1/event/fire/deploy", "1");
    calls.request("PUT", "/v1/event/fire/config", "2");
    calls.request("PUT", "/v1/event/fire/deploy", "3");

    Answer all = calls.get("/v1/event/list");
    Answer deploys = calls.get("/v1/event/list?name=deploy");

    assertThat(all.headers().get("X-Consul-Index")).isEqualTo("" + plane.view().index());
    assertThat(names(all)).containsSubsequence("deploy", "config", "deploy");
    assertThat(names(deploys)).containsOnly("deploy").hasSize(2);
    assertThat(payloads(deploys)).containsExactly("1", "3");
  }

  @Test
  void list_blocking_wakesOnTheNextEvent() throws IOException {
    long index = plane.view().index();
    assertThat(calls.send("GET", "/v1/event/list?index=" + index + "&wait=30s", "", "")).isEmpty();

    plane.apply(new ControlCommand.AppendEvent("config", "node-2", bytes("new")));
    connection.runPendingTasks();

    Answer answer = ApiCalls.only(connection.answers());
    assertThat(payloads(answer)).contains("new");
  }

  @Test
  void stream_sendsRetainedEventsThenNewOnesAsServerSentEvents() {
    calls.request("PUT", "/v1/event/fire/first", "a");
    long firstIndex = plane.view().index();

    String head = connection.sendRaw("GET /v1/event/stream HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(head)
        .startsWith("HTTP/1.1 200 OK")
        .contains("content-type: text/event-stream")
        .contains("transfer-encoding: chunked")
        .contains("id: " + firstIndex + "\ndata: {\"ID\":\"" + firstIndex + "-0\"")
        .contains("\"Name\":\"first\"");

    plane.apply(new ControlCommand.AppendEvent("second", "node-2", bytes("b")));
    String next = connection.written();

    assertThat(next)
        .contains("id: " + plane.view().index() + "\ndata: ")
        .contains("\"Name\":\"second\"")
        .doesNotContain("\"Name\":\"first\"");
  }

  @Test
  void stream_fromIndex_onlyLaterEvents() {
    calls.request("PUT", "/v1/event/fire/old", "a");
    long index = plane.view().index();
    calls.request("PUT", "/v1/event/fire/new", "b");

    String head =
        connection.sendRaw("GET /v1/event/stream?index=" + index + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(head).contains("\"Name\":\"new\"").doesNotContain("\"Name\":\"old\"");
  }

  @Test
  void stream_lastEventId_resumesAfterIt() {
    calls.request("PUT", "/v1/event/fire/old", "a");
    long index = plane.view().index();
    calls.request("PUT", "/v1/event/fire/new", "b");

    String head =
        connection.sendRaw(
            "GET /v1/event/stream HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " + index + "\r\n\r\n");

    assertThat(head).contains("\"Name\":\"new\"").doesNotContain("\"Name\":\"old\"");
  }

  @Test
  void stream_fromAnIndexTheLogNoLongerHolds_saysEventsWereMissed() {
    MemoryControlPlane small = new MemoryControlPlane(2);
    agent.control = small;
    for (String name : List.of("a", "b", "c", "d")) {
      small.apply(new ControlCommand.AppendEvent(name, "node-2", bytes("")));
    }
    long first = small.view().firstRetainedEventIndex();

    String head = connection.sendRaw("GET /v1/event/stream?index=1 HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(head)
        .contains("event: missed\ndata: {\"FirstRetainedIndex\":" + first + "}\n\n")
        .contains("\"Name\":\"c\"")
        .contains("\"Name\":\"d\"");
  }

  @Test
  void stream_fromARetainedIndex_nothingMissed() {
    calls.request("PUT", "/v1/event/fire/a", "");

    assertThat(connection.sendRaw("GET /v1/event/stream?index=0 HTTP/1.1\r\nHost: x\r\n\r\n"))
        .doesNotContain("event: missed");
  }

  @Test
  void stream_heartbeatWhileQuiet() {
    connection.sendRaw("GET /v1/event/stream HTTP/1.1\r\nHost: x\r\n\r\n");

    connection.advance(Duration.ofMillis(EventStream.HEARTBEAT_MILLIS));

    assertThat(connection.written()).contains(": heartbeat\n\n");
    connection.advance(Duration.ofSeconds(ApiChannelInitializer.IDLE_TIMEOUT_SECONDS));
    assertThat(connection.isOpen()).as("a stream is not idle").isTrue();
  }

  @Test
  void stream_clientGoesAway_itsWaitIsCancelled() {
    connection.sendRaw("GET /v1/event/stream HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(plane.pendingWaits()).isEqualTo(1);

    connection.disconnect();

    assertThat(plane.pendingWaits()).isZero();
  }

  @Test
  void stream_whatTheClientSendsAfterwards_isDropped() {
    connection.sendRaw("GET /v1/event/stream HTTP/1.1\r\nHost: x\r\n\r\n");

    String after = connection.sendRaw("GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(after).as("no answer inside the stream").isEmpty();
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void stream_badLastEventId_400() throws IOException {
    List<Answer> answers =
        calls.send("GET", "/v1/event/stream", "", "Last-Event-ID: yesterday\r\n");

    assertError(ApiCalls.only(answers), 400, "bad_index");
  }

  private static List<String> names(Answer answer) throws IOException {
    return answer.json().findValuesAsText("Name");
  }

  private static List<String> payloads(Answer answer) throws IOException {
    List<String> payloads = new ArrayList<>();
    for (JsonNode event : new ObjectMapper().readTree(answer.body())) {
      payloads.add(event.get("Payload").isNull() ? "" : decode(event.get("Payload").asText()));
    }
    return payloads;
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
