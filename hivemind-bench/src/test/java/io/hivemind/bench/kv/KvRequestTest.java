package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KvRequestTest {

  @Test
  void encode_isTheRequestLineHeadersAndBodyInOneArray() {
    KvRequest request =
        new KvRequest(
            "PUT",
            "/v1/kv/bench/7",
            "application/octet-stream",
            "abc".getBytes(StandardCharsets.US_ASCII));

    byte[] bytes = request.encode("127.0.0.1:7361");

    assertThat(new String(bytes, StandardCharsets.US_ASCII))
        .isEqualTo(
            "PUT /v1/kv/bench/7 HTTP/1.1\r\n"
                + "Host: 127.0.0.1:7361\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: 3\r\n"
                + "\r\n"
                + "abc");
  }

  @Test
  void json_countsTheUtf8BytesNotTheCharacters() {
    KvRequest request = KvRequest.json("POST", "/v3/kv/put", "{\"k\":\"é\"}");

    String encoded = new String(request.encode("h:1"), StandardCharsets.UTF_8);

    assertThat(encoded)
        .contains("Content-Type: application/json\r\n")
        .contains("Content-Length: 10\r\n")
        .endsWith("\r\n\r\n{\"k\":\"é\"}");
  }

  @Test
  void body_isCopied_soTheRequestCannotChangeAfterwards() {
    byte[] value = {'a'};
    KvRequest request = new KvRequest("PUT", "/x", "text/plain", value);

    value[0] = 'b';
    request.body()[0] = 'c';

    assertThat(request.body()).containsExactly('a');
  }

  @Test
  void pathWithoutLeadingSlash_isRefused() {
    assertThatThrownBy(() -> new KvRequest("PUT", "v1/kv/x", "text/plain", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'v1/kv/x'");
  }
}
