package io.hivemind.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hivemind.api.AgentMember;
import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted stub server: request shape, error mapping and tolerance. The same
 * client against the real HTTP API is tested in hivemind-cli, which depends on both.
 */
class HivemindClientIT {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String body = "[]";
  private HttpServer stub;
  private HivemindClient client;

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", this::answer);
    stub.start();
    client = HivemindClient.connect(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery()));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void forEnvironment_localAgentOnTheWellKnownHttpPort() {
    assertThat(HivemindClient.forEnvironment(Environment.DEVELOPMENT).agent())
        .isEqualTo(URI.create("http://127.0.0.1:7361"));
    assertThat(HivemindClient.forEnvironment(Environment.PRODUCTION).agent())
        .isEqualTo(URI.create("http://127.0.0.1:7301"));
  }

  @Test
  void connect_trailingSlash_dropped() {
    assertThat(HivemindClient.connect(URI.create("http://h:1/")).agent())
        .isEqualTo(URI.create("http://h:1"));
  }

  @Test
  void connect_notHttp_rejectedNamingTheValue() {
    assertThatThrownBy(() -> HivemindClient.connect(URI.create("ftp://h:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agent address must look like http://host:port, got 'ftp://h:1'");
  }

  @Test
  void members_readsConsulShapeIgnoringUnknownFieldsAndEnumCase() {
    body =
        "[{\"Name\":\"n1\",\"Addr\":\"10.0.0.1\",\"Port\":7360,\"Tags\":{\"dc\":\"main\"},"
            + "\"Status\":1,\"State\":\"ALIVE\",\"Incarnation\":7,\"Roles\":[\"control\"],"
            + "\"Zone\":\"z\",\"Environment\":\"development\",\"FromTheFuture\":{\"x\":1}}]";

    List<AgentMember> members = client.members();

    assertThat(members).hasSize(1);
    AgentMember member = members.get(0);
    assertThat(member.name()).isEqualTo("n1");
    assertThat(member.port()).isEqualTo(7360);
    assertThat(member.state()).isEqualTo(MemberState.ALIVE);
    assertThat(member.environment()).isEqualTo(Environment.DEVELOPMENT);
    assertThat(member.incarnation()).isEqualTo(7);
    assertThat(member.roles()).containsExactly("control");
    assertThat(member.tags()).containsEntry("dc", "main");
    assertThat(requests).containsExactly("GET /v1/agent/members");
  }

  @Test
  void membersOfState_statusQuery() {
    client.members(MemberState.SUSPECT);

    assertThat(requests).containsExactly("GET /v1/agent/members?status=suspect");
  }

  @Test
  void join_addressEncodedAsOnePathSegment() {
    body = "";

    client.join("[fe80::1%eth0]:7360");

    assertThat(requests).containsExactly("PUT /v1/agent/join/%5Bfe80%3A%3A1%25eth0%5D%3A7360");
  }

  @Test
  void leave_put() {
    body = "";

    client.leave();

    assertThat(requests).containsExactly("PUT /v1/agent/leave");
  }

  @Test
  void apiError_codeSentenceAndStatus() {
    status = 400;
    body = "{\"error\":\"bad_address\",\"message\":\"'x:y' is not a join address\"}";

    assertThatThrownBy(() -> client.join("x:y"))
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_address");
              assertThat(e.getMessage()).isEqualTo("'x:y' is not a join address");
              assertThat(e.httpStatus()).isEqualTo(400);
            });
  }

  @Test
  void errorWithoutApiShape_unexpectedResponse() {
    status = 502;
    body = "<html>Bad Gateway</html>";

    assertThatThrownBy(() -> client.self())
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(HivemindClientException.UNEXPECTED_RESPONSE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the agent at "
                          + client.agent()
                          + " answered HTTP 502 without an API error: is it a Hivemind agent?");
            });
  }

  @Test
  void successWithUnreadableJson_unexpectedResponse() {
    body = "{\"not\": \"a list\"";

    assertThatThrownBy(() -> client.members())
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(HivemindClientException.UNEXPECTED_RESPONSE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the agent at "
                          + client.agent()
                          + " answered GET /v1/agent/members with JSON this client cannot read");
            });
  }

  @Test
  void nullJson_unexpectedResponse() {
    body = "null";

    assertThatThrownBy(() -> client.self())
        .isInstanceOf(HivemindClientException.class)
        .extracting(e -> ((HivemindClientException) e).code())
        .isEqualTo(HivemindClientException.UNEXPECTED_RESPONSE);
  }

  @Test
  void metrics_textAsIs() {
    body = "# TYPE x gauge\nx 1.0\n";

    assertThat(client.metrics()).isEqualTo(body);
    assertThat(requests).containsExactly("GET /v1/agent/metrics?format=prometheus");
  }

  @Test
  void noAgent_unreachableWithOneSentence() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HivemindClient nobody = HivemindClient.connect(URI.create("http://127.0.0.1:" + port));

    assertThatThrownBy(nobody::members)
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(HivemindClientException.UNREACHABLE);
              assertThat(e.getMessage())
                  .isEqualTo("no agent at http://127.0.0.1:" + port + ": connection refused");
              assertThat(e.httpStatus()).isZero();
            });
  }
}
