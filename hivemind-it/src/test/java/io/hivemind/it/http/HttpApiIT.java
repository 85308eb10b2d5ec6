package io.hivemind.it.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.server.http.AgentOperations.OperationRefusedException;
import io.hivemind.server.http.HttpApi;
import io.hivemind.server.http.HttpApiConfig;
import io.hivemind.testkit.FixedAgent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API's HTTP shape against a real server on a free port, with a fixed agent behind it. */
class HttpApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FixedAgent agent = new FixedAgent();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpApi api;

  @BeforeEach
  void start() throws IOException {
    HttpApiConfig config =
        new HttpApiConfig(
            "127.0.0.1", 0, "1.2.3", Duration.ofMillis(300), Duration.ofMillis(300), 1024);
    api = HttpApi.start(config, agent);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void members_consulShapeSortedByName() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/members");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode members = JSON.readTree(response.body());
    assertThat(members).hasSize(4);
    assertThat(members.findValuesAsText("Name"))
        .containsExactly("node-1", "node-2", "node-3", "node-4");
    assertThat(members.findValuesAsText("State"))
        .containsExactly("alive", "suspect", "dead", "left");
    assertThat(members.findValues("Status"))
        .extracting(JsonNode::asInt)
        .containsExactly(1, 1, 4, 3);
    JsonNode self = members.get(0);
    assertThat(self.fieldNames())
        .toIterable()
        .containsExactly(
            "Name",
            "Addr",
            "Port",
            "Tags",
            "Status",
            "ProtocolMin",
            "ProtocolMax",
            "ProtocolCur",
            "DelegateMin",
            "DelegateMax",
            "DelegateCur",
            "State",
            "Incarnation",
            "Roles",
            "Zone",
            "Environment");
    assertThat(self.get("Addr").asText()).isEqualTo("10.0.0.1");
    assertThat(self.get("Port").asInt()).isEqualTo(7360);
    assertThat(self.get("Incarnation").asLong()).isEqualTo(3);
    assertThat(self.get("Environment").asText()).isEqualTo("development");
    assertThat(self.get("Zone").asText()).isEqualTo("zone-a");
    assertThat(self.get("Roles").toString()).isEqualTo("[\"catalog\",\"control\"]");
    assertThat(self.get("Tags").toString())
        .isEqualTo(
            "{\"dc\":\"main\",\"env\":\"development\",\"rack\":\"r1\","
                + "\"role\":\"catalog,control\",\"zone\":\"zone-a\"}");
    assertThat(members.get(1).get("Tags").get("role").asText()).isEqualTo("node");
  }

  @ParameterizedTest
  @CsvSource({"alive,node-1", "SUSPECT,node-2", "dead,node-3", "left,node-4"})
  void members_statusFilter_onlyThatState(String status, String name) throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/members?status=" + status);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).findValuesAsText("Name")).containsExactly(name);
  }

  @Test
  void members_consulSegmentAndWanParameters_ignored() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/members?segment=x&wan=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body())).hasSize(4);
  }

  @Test
  void members_unknownStatus_400BadStatus() throws Exception {
    assertError(
        send("GET", "/v1/agent/members?status=zombie"),
        400,
        "bad_status",
        "unknown status 'zombie': use alive, suspect, dead or left");
  }

  @Test
  void self_configMemberAndStats() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/self");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode self = JSON.readTree(response.body());
    assertThat(self.fieldNames()).toIterable().containsExactly("Config", "Member", "Stats");
    assertThat(self.get("Config").toString())
        .isEqualTo(
            "{\"NodeName\":\"node-1\",\"Datacenter\":\"main\",\"Version\":\"1.2.3\","
                + "\"Revision\":\"\",\"Server\":true,"
                + "\"Environment\":\"development\",\"Roles\":[\"catalog\",\"control\"],"
                + "\"Zone\":\"zone-a\"}");
    assertThat(self.get("Member").get("Name").asText()).isEqualTo("node-1");
    assertThat(self.get("Stats").toString())
        .isEqualTo(
            "{\"Members\":4,\"Alive\":1,\"Suspect\":1,\"Dead\":1,\"Left\":1,"
                + "\"Counters\":{\"packets_sent\":42,\"probe_failures\":1}}");
  }

  @Test
  void join_hostAndPort_200EmptyAndOneSeed() throws Exception {
    HttpResponse<String> response = send("PUT", "/v1/agent/join/10.0.0.9:7341");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(agent.joins).containsExactly(List.of(new Address("10.0.0.9", 7341)));
  }

  @Test
  void join_withoutPort_environmentsGossipPort() throws Exception {
    assertThat(send("PUT", "/v1/agent/join/seed.example").statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/v1/agent/join/%5B::1%5D").statusCode()).isEqualTo(200);

    assertThat(agent.joins)
        .containsExactly(
            List.of(new Address("seed.example", 7360)), List.of(new Address("::1", 7360)));
  }

  @Test
  void join_wan_400NotSupported() throws Exception {
    assertError(
        send("PUT", "/v1/agent/join/10.0.0.9?wan=1"),
        400,
        "wan_not_supported",
        "WAN joins are not supported: Hivemind has one gossip pool");
    assertThat(agent.joins).isEmpty();
  }

  @Test
  void join_lanExplicitly_accepted() throws Exception {
    assertThat(send("PUT", "/v1/agent/join/10.0.0.9?wan=0").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/agent/join/host:notaport|'host:notaport' is not a join address: the port must be a"
            + " number in 1..65535",
        "/v1/agent/join/a%20b|'a b' is not a join address: the host must be a name or an IP"
            + " address",
        "/v1/agent/join|give the address in the path: PUT /v1/agent/join/host[:port]"
      })
  void join_badAddress_400BadAddress(String path, String message) throws Exception {
    assertError(send("PUT", path), 400, "bad_address", message);
    assertThat(agent.joins).isEmpty();
  }

  @Test
  void join_failedFuture_500JoinFailedWithTheCause() throws Exception {
    agent.joinResult = CompletableFuture.failedFuture(new ConnectException("connection refused"));

    assertError(
        send("PUT", "/v1/agent/join/10.0.0.9:7360"),
        500,
        "join_failed",
        "join through 10.0.0.9:7360 failed: connection refused");
  }

  @Test
  void join_agentThrows_500JoinFailed() throws Exception {
    agent.joinThrows = new IllegalStateException("the agent is leaving");

    assertError(
        send("PUT", "/v1/agent/join/10.0.0.9"),
        500,
        "join_failed",
        "join through 10.0.0.9:7360 failed: the agent is leaving");
  }

  @Test
  void join_refusedByTheAgent_answersWithTheRefusalsStatusAndCode() throws Exception {
    agent.joinResult =
        CompletableFuture.failedFuture(
            new OperationRefusedException(
                409,
                "agent_left",
                "this agent (node-1) has left the cluster and is shutting down"));

    assertError(
        send("PUT", "/v1/agent/join/10.0.0.9:7360"),
        409,
        "agent_left",
        "join through 10.0.0.9:7360 refused: this agent (node-1) has left the cluster and is"
            + " shutting down");
  }

  @Test
  void join_agentThrowsARefusal_answeredTheSameWay() throws Exception {
    agent.joinThrows =
        new OperationRefusedException(
            400, "join_self", "that is this agent (node node-1) itself: join through another");

    assertError(
        send("PUT", "/v1/agent/join/10.0.0.1"),
        400,
        "join_self",
        "join through 10.0.0.1:7360 refused: that is this agent (node node-1) itself: join through"
            + " another");
  }

  @Test
  void join_neverCompletes_500JoinTimeout_andTheJoinIsCancelled() throws Exception {
    CompletableFuture<Void> running = new CompletableFuture<>();
    agent.joinResult = running;

    assertError(
        send("PUT", "/v1/agent/join/10.0.0.9:7360"),
        500,
        "join_timeout",
        "join through 10.0.0.9:7360 did not finish within 300 ms; the join was cancelled");
    assertThat(running).isCancelled();
  }

  @Test
  void join_failsAfterTheTimeoutCancelledIt_stillOneAnswer() throws Exception {
    CompletableFuture<Void> running = new CompletableFuture<>();
    agent.joinResult = running;

    HttpResponse<String> response = send("PUT", "/v1/agent/join/10.0.0.9:7360");
    running.completeExceptionally(new IllegalStateException("too late"));

    assertError(
        response,
        500,
        "join_timeout",
        "join through 10.0.0.9:7360 did not finish within 300 ms; the join was cancelled");
    assertThat(send("GET", "/v1/agent/members").statusCode()).isEqualTo(200);
  }

  @Test
  void leave_neverCompletes_500LeaveFailed_andTheLeaveGoesOn() throws Exception {
    CompletableFuture<Void> leaving = new CompletableFuture<>();
    agent.leaveResult = leaving;

    assertError(
        send("PUT", "/v1/agent/leave"), 500, "leave_failed", "leave did not finish within 300 ms");
    assertThat(leaving).isNotDone();
  }

  @Test
  void join_completesLater_answersThen() throws Exception {
    CompletableFuture<Void> later = new CompletableFuture<>();
    agent.joinResult = later;
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(
            request("PUT", "/v1/agent/join/10.0.0.9", BodyPublishers.noBody()),
            BodyHandlers.ofString());

    new Thread(() -> later.complete(null)).start();

    assertThat(response.get().statusCode()).isEqualTo(200);
  }

  @Test
  void leave_200EmptyOnceLeft() throws Exception {
    HttpResponse<String> response = send("PUT", "/v1/agent/leave");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(agent.leaves).isEqualTo(1);
  }

  @Test
  void leave_failed_500LeaveFailed() throws Exception {
    agent.leaveResult = CompletableFuture.failedFuture(new IllegalStateException("not joined"));

    assertError(send("PUT", "/v1/agent/leave"), 500, "leave_failed", "leave failed: not joined");
  }

  @Test
  void metrics_prometheus_textFromTheScrape() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/metrics?format=prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEqualTo(agent.prometheusScrape());
  }

  @Test
  void metrics_withoutFormat_400FormatRequired() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/agent/metrics");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("format_required");
  }

  @Test
  void metrics_otherFormat_400BadFormat() throws Exception {
    assertError(
        send("GET", "/v1/agent/metrics?format=json"),
        400,
        "bad_format",
        "unknown metrics format 'json': use format=prometheus");
  }

  @ParameterizedTest
  @CsvSource({"GET,/v1/agent/nothing", "GET,/", "PUT,/v2/agent/members", "GET,/v1/agent/join/x/y"})
  void unknownPath_404NotFound(String method, String path) throws Exception {
    assertError(send(method, path), 404, "not_found", "no endpoint at " + path);
  }

  @ParameterizedTest
  @CsvSource({
    "PUT,/v1/agent/members,GET",
    "DELETE,/v1/agent/self,GET",
    "POST,/v1/agent/metrics,GET",
    "GET,/v1/agent/join/10.0.0.1,PUT",
    "GET,/v1/agent/leave,PUT"
  })
  void wrongMethod_405WithAllow(String method, String path, String allowed) throws Exception {
    HttpResponse<String> response = send(method, path);

    assertError(
        response,
        405,
        "method_not_allowed",
        method + " is not allowed on " + path + "; use " + allowed);
    assertThat(response.headers().firstValue("Allow")).hasValue(allowed);
    assertThat(agent.joins).isEmpty();
    assertThat(agent.leaves).isZero();
  }

  @Test
  void bodyOverTheLimit_413() throws Exception {
    HttpResponse<String> response =
        send(api.uri(), "PUT", "/v1/agent/leave", BodyPublishers.ofString("x".repeat(5000)));

    assertError(
        response, 413, "body_too_large", "the request body is larger than the limit of 1024 bytes");
    assertThat(agent.leaves).isZero();
  }

  @Test
  void garbageBody_400UnexpectedBody() throws Exception {
    HttpResponse<String> response =
        send(
            api.uri(), "PUT", "/v1/agent/leave", BodyPublishers.ofByteArray(new byte[] {0, -1, 7}));

    assertError(response, 400, "unexpected_body", "PUT /v1/agent/leave takes no body; got 3 bytes");
    assertThat(agent.leaves).isZero();
  }

  @Test
  void badPercentEncoding_400JsonAndTheServerKeepsServing() throws Exception {
    String answer = raw("GET /v1/agent/join/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 400")
        .contains(
            "{\"error\":\"bad_request\",\"message\":\"the path has a malformed %-escape at"
                + " character 15\"}");
    assertThat(send("GET", "/v1/agent/self").statusCode()).isEqualTo(200);
  }

  @Test
  void notHttp_400JsonAndTheServerKeepsServing() throws Exception {
    String answer = raw("\u0016\u0003\u0001 hello garbage\r\n\r\n");

    // Every answer is HTTP/1.1, even to bytes whose version the decoder could not tell.
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");
    assertThat(send("GET", "/v1/agent/members").statusCode()).isEqualTo(200);
  }

  @Test
  void requestLineTooLong_414Json() throws Exception {
    String answer =
        raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 414").contains("\"error\":\"uri_too_long\"");
  }

  @Test
  void malformedQuery_400BadRequest() throws Exception {
    String answer =
        raw("GET /v1/agent/members?status=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");
  }

  @Test
  void pipelinedRequests_answeredInOrderOnOneConnection() throws Exception {
    agent.joinResult = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> agent.joinResult.complete(null));

    String answer =
        raw(
            "PUT /v1/agent/join/10.0.0.9 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/agent/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer.indexOf("HTTP/1.1 404")).isGreaterThan(0);
  }

  @Test
  void absoluteFormTarget_sameEndpoint() throws Exception {
    String answer =
        raw(
            "GET http://127.0.0.1/v1/agent/members?status=alive HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200").contains("\"Name\":\"node-1\"");
  }

  @Test
  void keepAlive_oneConnectionServesSeveralRequests() throws Exception {
    String answer =
        raw(
            "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/agent/members HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer.split("HTTP/1.1 200", -1)).hasSize(3);
  }

  @Test
  void readersSeeNewSnapshots() throws Exception {
    agent.members.add(FixedAgent.member("node-5", MemberState.ALIVE));

    assertThat(
            JSON.readTree(send("GET", "/v1/agent/members?status=alive").body())
                .findValuesAsText("Name"))
        .containsExactly("node-1", "node-5");
  }

  @Test
  void port0_picksAFreePortAndUriNamesIt() {
    assertThat(api.port()).isPositive();
    assertThat(api.uri()).isEqualTo(URI.create("http://127.0.0.1:" + api.port()));
  }

  @Test
  void start_portInUse_ioExceptionNamingTheAddress() {
    HttpApiConfig taken = HttpApiConfig.of("127.0.0.1", api.port(), "1");

    assertThatThrownBy(() -> HttpApi.start(taken, agent))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot serve the HTTP API on 127.0.0.1:" + api.port() + ": ");
  }

  @Test
  void close_twice_harmlessAndThePortIsFree() throws Exception {
    int port = api.port();

    api.close();
    api.close();

    // Fully qualified to keep this edit inside the method (another change owns the imports).
    try (java.net.ServerSocket again =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return send(api.uri(), method, path, BodyPublishers.noBody());
  }

  private HttpResponse<String> send(
      URI base, String method, String path, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path)).method(method, body).build();
    return http.send(request, BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create(api.uri() + path)).method(method, body).build();
  }

  /** Writes bytes no HTTP client would send and reads the answer until the server closes. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static void assertError(
      HttpResponse<String> response, int status, String code, String message) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = JSON.readTree(response.body());
    List<String> names = new ArrayList<>();
    error.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("error", "message");
    assertThat(error.get("error").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isEqualTo(message);
  }
}
