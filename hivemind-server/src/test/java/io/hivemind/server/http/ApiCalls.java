package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.server.http.ApiConnection.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Requests as a client writes them, over one {@link ApiConnection}: a method, a target, maybe a
 * body, and the single answer expected back. Shared by the control plane's endpoint tests.
 */
final class ApiCalls {

  private final ApiConnection connection;

  ApiCalls(ApiConnection connection) {
    this.connection = connection;
  }

  Answer get(String target) {
    return request("GET", target, "");
  }

  /** Sends the request; expects exactly one answer to have been written by now. */
  Answer request(String method, String target, String body) {
    return only(send(method, target, body, ""));
  }

  /** Sends the request with extra header lines ({@code "Name: value\r\n"}); returns the answers. */
  List<Answer> send(String method, String target, String body, String headers) {
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: x\r\n"
            + headers
            + (length > 0 ? "Content-Length: " + length + "\r\n" : "")
            + "\r\n";
    return connection.send(
        head + new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  static Answer only(List<Answer> answers) {
    assertThat(answers).hasSize(1);
    return answers.get(0);
  }

  static void assertError(Answer answer, int status, String code) throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    JsonNode error = answer.json();
    assertThat(error.fieldNames()).toIterable().containsExactly("error", "message");
    assertThat(error.get("error").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
  }
}
