package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests with an {@code Expect} header (RFC 9110 §10.1.1) on the API's real pipeline. Found by
 * the fuzz suite (hivemind-fuzz, HttpHeadFuzzTest): an expectation other than 100-continue, or a
 * 100-continue whose body is over the limit, got Netty's own 417 or 413 with an empty body instead
 * of the API's JSON error.
 */
class ExpectHeaderTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, new StubAgent(), new HttpApiStats()));

  @AfterEach
  void finish() {
    connection.close();
  }

  @Test
  void unknownExpectation_417JsonThenClosed() {
    String answer = send("GET /v1/agent/members HTTP/1.1\r\nExpect: nothing\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 417 Expectation Failed\r\n");
    assertThat(answer).contains("content-type: application/json\r\n", "connection: close\r\n");
    assertThat(answer)
        .endsWith(
            "{\"error\":\"expectation_failed\",\"message\":\"the request expects 'nothing'; the API"
                + " meets only Expect: 100-continue\"}");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void continueExpected_bodyOverTheLimit_413JsonThenClosed() {
    String answer =
        send(
            "PUT /v1/agent/leave HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2048\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    assertThat(answer)
        .endsWith(
            "{\"error\":\"body_too_large\",\"message\":\"the request body is larger than the limit"
                + " of 1024 bytes\"}");
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void continueExpected_bodyWithinTheLimit_100ContinueThenTheAnswer() {
    String answer = send("GET /v1/agent/self HTTP/1.1\r\nExpect: 100-continue\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
    assertThat(connection.isOpen()).isTrue();
  }

  private String send(String request) {
    return connection.sendRaw(request);
  }
}
