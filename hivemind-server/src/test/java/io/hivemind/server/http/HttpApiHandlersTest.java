package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.ApiConnection.Answer;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API's real pipeline ({@link ApiChannelInitializer}: codec, limits, flow control, routes and
 * handlers) on one embedded connection over a {@link StubAgent}: raw request bytes in, decoded
 * answers out, the idle clock moved by hand. Connection limits and deadlines: ConnectionLimitsTest.
 * No socket, no wall clock; HttpApiIT in hivemind-it is the check on a real port.
 */
class HttpApiHandlersTest {

  private static final int MAX_BODY_BYTES = 1024;
  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), MAX_BODY_BYTES);

  private static final String SELF_JSON =
      "{\"Name\":\"node-1\",\"Addr\":\"10.0.0.1\",\"Port\":7360,"
          + "\"Tags\":{\"dc\":\"main\",\"env\":\"development\",\"rack\":\"r1\","
          + "\"role\":\"catalog,control\",\"zone\":\"zone-a\"},"
          + "\"Status\":1,\"ProtocolMin\":1,\"ProtocolMax\":1,\"ProtocolCur\":1,"
          + "\"DelegateMin\":2,\"DelegateMax\":5,\"DelegateCur\":4,"
          + "\"State\":\"alive\",\"Incarnation\":3,\"Roles\":[\"catalog\",\"control\"],"
          + "\"Zone\":\"zone-a\",\"Environment\":\"development\"}";

  private static final String SUSPECT_JSON =
      "{\"Name\":\"node-2\",\"Addr\":\"10.0.0.2\",\"Port\":7360,"
          + "\"Tags\":{\"dc\":\"main\",\"env\":\"development\",\"role\":\"node\"},"
          + "\"Status\":1,\"ProtocolMin\":1,\"ProtocolMax\":1,\"ProtocolCur\":1,"
          + "\"DelegateMin\":2,\"DelegateMax\":5,\"DelegateCur\":4,"
          + "\"State\":\"suspect\",\"Incarnation\":1,\"Roles\":[],"
          + "\"Zone\":\"\",\"Environment\":\"development\"}";

  private final StubAgent agent = new StubAgent();
  private final HttpApiStats stats = new HttpApiStats();
  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, agent, stats));

  @AfterEach
  void finish() {
    connection.close();
  }

  @Test
  void members_consulShapeSortedByName() {
    Answer answer = get("/v1/agent/members");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(answer.body()).isEqualTo("[" + SELF_JSON + "," + SUSPECT_JSON + "]");
  }

  @ParameterizedTest
  @CsvSource({"alive,node-1", "SUSPECT,node-2", "dead,", "left,"})
  void members_statusFilter_onlyThatState(String status, String name) throws IOException {
    Answer answer = get("/v1/agent/members?status=" + status);

    assertThat(answer.status()).isEqualTo(200);
    List<String> names = answer.json().findValuesAsText("Name");
    assertThat(names).isEqualTo(name == null ? List.of() : List.of(name));
  }

  @Test
  void members_unknownStatus_400BadStatus() throws IOException {
    assertError(
        get("/v1/agent/members?status=zombie"),
        400,
        "bad_status",
        "unknown status 'zombie': use alive, suspect, dead or left");
  }

  @Test
  void self_configMemberAndStats() {
    Answer answer = get("/v1/agent/self");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"Config\":{\"NodeName\":\"node-1\",\"Datacenter\":\"main\",\"Version\":\"1.2.3\","
                + "\"Revision\":\"\",\"Server\":true,"
                + "\"Environment\":\"development\",\"Roles\":[\"catalog\",\"control\"],"
                + "\"Zone\":\"zone-a\"},"
                + "\"Member\":"
                + SELF_JSON
                + ",\"Stats\":{\"Members\":2,\"Alive\":1,\"Suspect\":1,\"Dead\":0,\"Left\":0,"
                + "\"Counters\":{\"packets_sent\":42,\"probe_failures\":1}}}");
  }

  @Test
  void metrics_prometheus_theScrapeAsText() {
    Answer answer = get("/v1/agent/metrics?format=prometheus");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Content-Type"))
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(answer.body()).isEqualTo(StubAgent.SCRAPE);
  }

  @Test
  void join_pathParameter_reachesTheAgentDecoded() {
    Answer answer = request("PUT", "/v1/agent/join/%5B::1%5D:7341");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEmpty();
    assertThat(agent.joins).containsExactly(List.of(new Address("::1", 7341)));
  }

  @Test
  void leave_200Empty() {
    Answer answer = request("PUT", "/v1/agent/leave");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEmpty();
    assertThat(agent.leaves).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "GET,/v1/agent/nothing",
    "GET,/",
    "PUT,/v2/agent/members",
    "GET,/v1/agent/join/x/y",
    "GET,/v1/agent/membersx"
  })
  void unknownPath_404NamingThePath(String method, String path) throws IOException {
    assertError(request(method, path), 404, "not_found", "no endpoint at " + path);
  }

  @ParameterizedTest
  @CsvSource({
    "PUT,/v1/agent/members,GET",
    "DELETE,/v1/agent/self,GET",
    "POST,/v1/agent/metrics,GET",
    "GET,/v1/agent/join/10.0.0.1,PUT",
    "GET,/v1/agent/leave,PUT"
  })
  void wrongMethod_405WithAllow(String method, String path, String allowed) throws IOException {
    Answer answer = request(method, path);

    assertError(
        answer,
        405,
        "method_not_allowed",
        method + " is not allowed on " + path + "; use " + allowed);
    assertThat(answer.headers().get("Allow")).isEqualTo(allowed);
    assertThat(agent.joins).isEmpty();
    assertThat(agent.leaves).isZero();
  }

  @Test
  void agentFault_500InternalWithoutTheDetails() throws IOException {
    agent.membersFailure = new IllegalStateException("snapshot missing");

    Answer answer = get("/v1/agent/members");

    assertError(answer, 500, "internal", "the agent failed to answer; its log has the details");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void notHttp_400ThenClosed() throws IOException {
    Answer answer = only(send("\u0016\u0003\u0001 hello garbage\r\n\r\n"));

    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void badPercentEscape_400AndTheConnectionServesOn() throws IOException {
    assertError(
        get("/v1/agent/join/%zz"),
        400,
        "bad_request",
        "the path has a malformed %-escape at character 15");

    assertThat(connection.isOpen()).isTrue();
    assertThat(get("/v1/agent/self").status()).isEqualTo(200);
  }

  @Test
  void malformedQuery_400BadRequest() throws IOException {
    Answer answer = get("/v1/agent/members?status=%zz");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
  }

  @Test
  void requestLineTooLong_414ThenClosed() throws IOException {
    String path = "/" + "a".repeat(ApiChannelInitializer.MAX_REQUEST_LINE_BYTES);

    assertError(
        only(send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")),
        414,
        "uri_too_long",
        "the request line is too long");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void headersTooLarge_431ThenClosed() throws IOException {
    String header = "X-Big: " + "b".repeat(ApiChannelInitializer.MAX_HEADER_BYTES) + "\r\n";

    assertError(
        only(send("GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n" + header + "\r\n")),
        431,
        "headers_too_large",
        "the headers are too large");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void bodyOverTheLimit_413ThenClosedUnread() throws IOException {
    String body = "x".repeat(MAX_BODY_BYTES + 1);

    Answer answer =
        only(
            send(
                "PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body));

    assertError(
        answer, 413, "body_too_large", "the request body is larger than the limit of 1024 bytes");
    assertThat(connection.isOpen()).isFalse();
    assertThat(agent.leaves).isZero();
  }

  @Test
  void bodyAtTheLimit_onAnEndpointWithoutOne_400UnexpectedBody() throws IOException {
    String body = "x".repeat(MAX_BODY_BYTES);

    Answer answer =
        only(
            send(
                "PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body));

    assertError(
        answer, 400, "unexpected_body", "PUT /v1/agent/leave takes no body; got 1024 bytes");
    assertThat(agent.leaves).isZero();
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void keepAlive_http11_oneConnectionServesRequestAfterRequest() {
    assertThat(get("/v1/agent/self").status()).isEqualTo(200);
    assertThat(get("/v1/agent/members").status()).isEqualTo(200);
    assertThat(get("/v1/agent/nothing").status()).isEqualTo(404);

    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void connectionClose_answeredThenClosed() {
    Answer answer =
        only(send("GET /v1/agent/self HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void http10_withoutKeepAlive_answeredInHttp11ThenClosed() {
    Answer answer = only(send("GET /v1/agent/self HTTP/1.0\r\n\r\n"));

    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void http10_withKeepAlive_answeredInHttp11ThenClosedSayingSo() {
    Answer answer = only(send("GET /v1/agent/self HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));

    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
  }

  /** Regression: the answer's version was the request's, so HTTP/9.9 got "HTTP/9.9 200 OK". */
  @ParameterizedTest
  @CsvSource({"HTTP/9.9,9.9", "HTTP/2.0,2.0", "HTTP/1.2,1.2", "HTTP/0.9,0.9"})
  void otherHttpVersion_505InHttp11ThenClosed(String version, String number) throws IOException {
    Answer answer = only(send("GET /v1/agent/self " + version + "\r\nHost: x\r\n\r\n"));

    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertError(
        answer,
        505,
        "http_version_not_supported",
        "HTTP/" + number + " is not supported; use HTTP/1.1");
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void notHttpProtocol_400ThenClosed() throws IOException {
    Answer answer = only(send("GET /v1/agent/self FOO/1.1\r\nHost: x\r\n\r\n"));

    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertError(answer, 400, "bad_request", "the request is not valid HTTP/1.1");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void http11_answeredInHttp11() {
    assertThat(get("/v1/agent/self").version()).isEqualTo(HttpVersion.HTTP_1_1);
  }

  @Test
  void pipelined_answersKeepRequestOrder() {
    CompletableFuture<Void> joined = new CompletableFuture<>();
    agent.joinResult = joined;

    List<Answer> early =
        send(
            "PUT /v1/agent/join/10.0.0.9 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/agent/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(early).as("nothing overtakes the unanswered join").isEmpty();

    joined.complete(null);
    connection.runPendingTasks();

    assertThat(answers()).extracting(Answer::status).containsExactly(200, 404, 200);
  }

  @Test
  void absoluteFormTarget_routedByItsPathAndQuery() throws IOException {
    Answer answer = get("http://127.0.0.1:7361/v1/agent/members?status=alive");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().findValuesAsText("Name")).containsExactly("node-1");
  }

  @Test
  void absoluteFormTarget_withoutPath_isTheRoot() throws IOException {
    assertError(get("http://127.0.0.1:7361"), 404, "not_found", "no endpoint at /");
  }

  @Test
  void idleKeepAlive_closesAfterTheIdleTimeout() {
    assertThat(get("/v1/agent/self").status()).isEqualTo(200);

    advance(Duration.ofSeconds(ApiChannelInitializer.IDLE_TIMEOUT_SECONDS).minusMillis(1));
    assertThat(connection.isOpen()).isTrue();

    advance(Duration.ofMillis(1));
    assertThat(connection.isOpen()).isFalse();
    assertThat(answers()).as("an idle connection closes without a word").isEmpty();
  }

  @Test
  void idleTimeout_countsFromTheLastRequest() {
    Duration almost = Duration.ofSeconds(ApiChannelInitializer.IDLE_TIMEOUT_SECONDS - 1);
    assertThat(get("/v1/agent/self").status()).isEqualTo(200);
    advance(almost);

    assertThat(get("/v1/agent/self").status()).isEqualTo(200);
    advance(almost);

    assertThat(connection.isOpen()).isTrue();
    advance(Duration.ofSeconds(1));
    assertThat(connection.isOpen()).isFalse();
  }

  private Answer get(String target) {
    return request("GET", target);
  }

  private Answer request(String method, String target) {
    return only(send(method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  private List<Answer> send(String bytes) {
    return connection.send(bytes);
  }

  private List<Answer> answers() {
    return connection.answers();
  }

  private void advance(Duration duration) {
    connection.advance(duration);
  }

  private static Answer only(List<Answer> answers) {
    assertThat(answers).hasSize(1);
    return answers.get(0);
  }

  private static void assertError(Answer answer, int status, String code, String message)
      throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().get("Content-Type")).isEqualTo("application/json");
    JsonNode error = answer.json();
    assertThat(error.fieldNames()).toIterable().containsExactly("error", "message");
    assertThat(error.get("error").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isEqualTo(message);
  }
}
