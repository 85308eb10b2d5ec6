package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KvWriteTargetTest {

  private static final byte[] VALUE = "v1".getBytes(StandardCharsets.UTF_8);

  @Test
  void etcd_request_postsToTheGatewaysPut() {
    KvRequest request = new EtcdGatewayTarget().request(42, VALUE);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v3/kv/put");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(new String(request.body(), StandardCharsets.UTF_8))
        .isEqualTo(EtcdGatewayTarget.body(42, VALUE));
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
    EtcdGatewayTarget etcd = new EtcdGatewayTarget();

    assertThat(etcd.refusal(200, "{\"header\":{\"revision\":\"7\"}}")).isNull();
    assertThat(etcd.refusal(503, "{\"error\":\"etcdserver: no leader\",\"code\":14}"))
        .isEqualTo("HTTP 503 '{\"error\":\"etcdserver: no leader\",\"code\":14}'");
    assertThat(etcd.refusal(200, "{}")).isEqualTo("200 without a header");
  }

  @Test
  void hivemind_request_putsTheRawValueUnderBench() {
    KvRequest request = new HivemindKvTarget().request(42, VALUE);

    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.path()).isEqualTo("/v1/kv/bench/42");
    assertThat(request.contentType()).isEqualTo("application/octet-stream");
    assertThat(request.body()).isEqualTo(VALUE);
  }

  @Test
  void hivemind_refusal_acceptsOnlyTrue() {
    HivemindKvTarget hivemind = new HivemindKvTarget();

    assertThat(hivemind.refusal(200, "true\n")).isNull();
    assertThat(hivemind.refusal(200, "false")).isEqualTo("200 answering 'false'");
    assertThat(hivemind.refusal(503, "{\"code\":\"no_quorum\"}"))
        .isEqualTo("HTTP 503 '{\"code\":\"no_quorum\"}'");
    assertThat(hivemind.refusal(200, "x".repeat(70))).endsWith("...'").hasSize(15 + 60 + 4);
  }
}
