package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KvWriteTargetTest {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:2379");
  private static final byte[] VALUE = "v1".getBytes(StandardCharsets.UTF_8);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void etcd_request_postsToTheGatewaysPut() {
    HttpRequest request = new EtcdGatewayTarget(TIMEOUT).request(ENDPOINT, 42, VALUE);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:2379/v3/kv/put"));
    assertThat(request.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(request.timeout()).contains(TIMEOUT);
  }

  @Test
  void etcd_body_keyAndValueInBase64() {
    String body = EtcdGatewayTarget.body(42, VALUE);

    Base64.Encoder base64 = Base64.getEncoder();
    assertThat(body)
        .isEqualTo(
            "{\"key\":\""
                + base64.encodeToString("bench/42".getBytes(StandardCharsets.UTF_8))
                + "\",\"value\":\""
                + base64.encodeToString(VALUE)
                + "\"}");
  }

  @Test
  void etcd_refusal_acceptsOnlyAPutAnswer() {
    EtcdGatewayTarget etcd = new EtcdGatewayTarget(TIMEOUT);

    assertThat(etcd.refusal(200, "{\"header\":{\"revision\":\"7\"}}")).isNull();
    assertThat(etcd.refusal(503, "{\"error\":\"etcdserver: no leader\",\"code\":14}"))
        .isEqualTo("HTTP 503");
    assertThat(etcd.refusal(200, "{}")).isEqualTo("200 without a header");
  }

  @Test
  void hivemind_request_putsTheRawValueUnderBench() {
    HttpRequest request = new HivemindKvTarget(TIMEOUT).request(ENDPOINT, 42, VALUE);

    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:2379/v1/kv/bench/42"));
    assertThat(request.bodyPublisher())
        .hasValueSatisfying(p -> assertThat(p.contentLength()).isEqualTo(VALUE.length));
  }

  @Test
  void hivemind_refusal_acceptsOnlyTrue() {
    HivemindKvTarget hivemind = new HivemindKvTarget(TIMEOUT);

    assertThat(hivemind.refusal(200, "true\n")).isNull();
    assertThat(hivemind.refusal(200, "false")).isEqualTo("200 answering 'false'");
    assertThat(hivemind.refusal(503, "{\"code\":\"no_quorum\"}")).isEqualTo("HTTP 503");
    assertThat(hivemind.refusal(200, "x".repeat(50))).endsWith("...'").hasSize(59);
  }
}
