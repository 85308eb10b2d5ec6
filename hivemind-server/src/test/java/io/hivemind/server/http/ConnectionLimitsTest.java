package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.http.ApiConnection.Answer;
import io.hivemind.server.http.HttpApiConfig.ConnectionLimits;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one client, or many, can hold of the API (the issue "Hostile and careless users", item 5):
 * the connection cap and the deadlines for a request to arrive, on embedded connections of one
 * initializer (so they share its cap) with their clocks moved by hand. HttpFloodIT in hivemind-it
 * is the same on a real port with real slow clients.
 */
class ConnectionLimitsTest {

  private static final int CAP = 3;
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(20);
  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
              "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024)
          .withLimits(new ConnectionLimits(CAP, HEAD_TIMEOUT, BODY_TIMEOUT));
  private static final String SELF = "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\n";

  private final StubAgent agent = new StubAgent();
  private final HttpApiStats stats = new HttpApiStats();
  private final ApiChannelInitializer initializer = new ApiChannelInitializer(CONFIG, agent, stats);
  private final List<ApiConnection> connections = new ArrayList<>();

  @AfterEach
  void closeAll() {
    connections.forEach(ApiConnection::close);
  }

  private ApiConnection connect() {
    ApiConnection connection = new ApiConnection(initializer);
    connections.add(connection);
    return connection;
  }

  // --- the cap

  @Test
  void cap_servedUpToIt_thenRefused503WithRetryAfterAndClosed() throws IOException {
    for (int i = 0; i < CAP; i++) {
      assertThat(connect().isOpen()).isTrue();
    }

    ApiConnection refused = connect();

    Answer answer = only(refused.answers());
    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(answer.headers().get("Retry-After")).isEqualTo("1");
    assertThat(answer.errorCode()).isEqualTo("too_many_connections");
    assertThat(answer.json().get("message").asText())
        .isEqualTo("the agent serves at most 3 HTTP connections at once; try again shortly");
    assertThat(refused.isOpen()).isFalse();
    assertThat(stats.connectionsOpen()).isEqualTo(CAP);
    assertThat(stats.connectionsAccepted()).isEqualTo(CAP);
    assertThat(stats.connectionsRejected()).isEqualTo(1);
  }

  @Test
  void cap_aClosedConnectionFreesItsSlot() {
    List<ApiConnection> served = fillTheCap();

    served.get(0).disconnect();

    ApiConnection next = connect();
    assertThat(next.isOpen()).isTrue();
    assertThat(only(next.send(SELF)).status()).isEqualTo(200);
    assertThat(stats.connectionsOpen()).isEqualTo(CAP);
    assertThat(stats.connectionsRejected()).isZero();
  }

  @Test
  void cap_slotsOfConnectionsCutByTheDeadline_freed() {
    List<ApiConnection> slow = fillTheCap();
    slow.forEach(connection -> connection.send("GET /v1/agent/se"));

    slow.forEach(connection -> connection.advance(HEAD_TIMEOUT));

    assertThat(stats.connectionsOpen()).isZero();
    assertThat(only(connect().send(SELF)).status()).isEqualTo(200);
  }

  // --- the request head's deadline

  @Test
  void head_silentConnection_408AtTheHeadTimeoutThenClosed() throws IOException {
    ApiConnection connection = connect();

    connection.advance(HEAD_TIMEOUT.minusMillis(1));
    assertThat(connection.isOpen()).isTrue();

    connection.advance(Duration.ofMillis(1));
    Answer answer = only(connection.answers());
    assertThat(answer.status()).isEqualTo(408);
    assertThat(answer.errorCode()).isEqualTo("request_timeout");
    assertThat(answer.json().get("message").asText())
        .isEqualTo("the request line and headers did not arrive within 10 s");
    assertThat(answer.headers().get("Connection")).isEqualTo("close");
    assertThat(connection.isOpen()).isFalse();
    assertThat(stats.headTimeouts()).isEqualTo(1);
  }

  /** Regression (slowloris): each trickled byte reset the idle timer, so nothing cut them. */
  @Test
  void head_trickledByteByByte_cutAtTheHeadTimeoutAnyway() throws IOException {
    ApiConnection connection = connect();
    String head = "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(100);

    for (int i = 0; i < 9; i++) {
      connection.send(head.substring(i, i + 1));
      connection.advance(Duration.ofSeconds(1));
    }
    assertThat(connection.isOpen()).isTrue();
    connection.send(head.substring(9, 10));
    connection.advance(Duration.ofSeconds(1));

    assertThat(only(connection.answers()).errorCode()).isEqualTo("request_timeout");
    assertThat(connection.isOpen()).isFalse();
    assertThat(stats.headTimeouts()).isEqualTo(1);
  }

  @Test
  void head_inPiecesWithinTheDeadline_served() {
    ApiConnection connection = connect();

    connection.send("GET /v1/agent/self HTTP/1.1\r\n");
    connection.advance(HEAD_TIMEOUT.minusMillis(1));

    assertThat(only(connection.send("Host: x\r\n\r\n")).status()).isEqualTo(200);
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void head_servedRequest_noDeadlineWhileIdleBetweenRequests() {
    ApiConnection connection = connect();
    assertThat(only(connection.send(SELF)).status()).isEqualTo(200);

    connection.advance(HEAD_TIMEOUT.multipliedBy(5));

    assertThat(connection.isOpen()).isTrue();
    assertThat(connection.answers()).isEmpty();
    assertThat(only(connection.send(SELF)).status()).isEqualTo(200);
  }

  @Test
  void head_laterRequest_clockStartsAtItsFirstByte() throws IOException {
    ApiConnection connection = connect();
    connection.send(SELF);
    connection.answers();
    connection.advance(Duration.ofSeconds(100));

    connection.send("GET /v1/agent/self HTTP/1.1\r\n");
    connection.advance(HEAD_TIMEOUT.minusMillis(1));
    assertThat(connection.isOpen()).isTrue();
    connection.advance(Duration.ofMillis(1));

    assertThat(only(connection.answers()).errorCode()).isEqualTo("request_timeout");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void head_noDeadlineWhileTheApiAnswers() {
    CompletableFuture<Void> joined = new CompletableFuture<>();
    agent.joinResult = joined;
    ApiConnection connection = connect();

    assertThat(connection.send("PUT /v1/agent/join/10.0.0.9 HTTP/1.1\r\nHost: x\r\n\r\n"))
        .isEmpty();
    connection.advance(Duration.ofSeconds(25));
    assertThat(connection.isOpen()).isTrue();

    joined.complete(null);
    connection.runPendingTasks();
    assertThat(only(connection.answers()).status()).isEqualTo(200);
    assertThat(stats.headTimeouts()).isZero();
  }

  // --- the body's deadline

  @Test
  void body_trickled_408AtTheBodyTimeoutFromTheEndOfTheHead() throws IOException {
    ApiConnection connection = connect();
    connection.advance(Duration.ofSeconds(5));
    connection.send("PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");

    for (int i = 0; i < 19; i++) {
      connection.send("x");
      connection.advance(Duration.ofSeconds(1));
    }
    assertThat(connection.isOpen()).isTrue();
    connection.advance(Duration.ofSeconds(1));

    Answer answer = only(connection.answers());
    assertThat(answer.status()).isEqualTo(408);
    assertThat(answer.json().get("message").asText())
        .isEqualTo("the request body did not arrive within 20 s");
    assertThat(connection.isOpen()).isFalse();
    assertThat(stats.bodyTimeouts()).isEqualTo(1);
    assertThat(stats.headTimeouts()).isZero();
    assertThat(agent.leaves).isZero();
  }

  @Test
  void body_inTime_noDeadlineLeftBehind() {
    ApiConnection connection = connect();
    connection.send("PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");

    assertThat(only(connection.send("abcd")).status()).isEqualTo(400); // leave takes no body
    connection.advance(BODY_TIMEOUT.plus(HEAD_TIMEOUT));

    assertThat(connection.isOpen()).isTrue();
    assertThat(stats.bodyTimeouts()).isZero();
  }

  private List<ApiConnection> fillTheCap() {
    List<ApiConnection> served = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      served.add(connect());
    }
    return served;
  }

  private static Answer only(List<Answer> answers) {
    assertThat(answers).hasSize(1);
    return answers.get(0);
  }
}
