package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request targets that are not a path. Found by the fuzz suite (hivemind-fuzz, HttpHeadFuzzTest):
 * {@code GET ?status=alive HTTP/1.1} has an empty path, which the route table cut with {@code
 * substring(1)}: a 500 and a stack trace in the agent's log for every such request.
 */
class RequestTargetWithoutPathTest {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  private final ApiConnection connection =
      new ApiConnection(new ApiChannelInitializer(CONFIG, new StubAgent(), new HttpApiStats()));

  @AfterEach
  void finish() {
    connection.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"?status=alive", "?", "v1/agent/members", "x"})
  void targetWithoutALeadingSlash_404NotFoundNot500(String target) {
    String answer = send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 404 Not Found\r\n");
    assertThat(answer).contains("{\"error\":\"not_found\"");
    assertThat(connection.isOpen()).isTrue();
  }

  private String send(String request) {
    return connection.sendRaw(request);
  }
}
