package io.hivemind.bench.kv;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * etcd v3's JSON gateway: {@code POST /v3/kv/put} with {@code {"key": base64, "value": base64}}.
 * etcd answers 200 with a {@code header} (cluster id, revision, raft term) once the put is
 * committed and applied; errors come as {@code {"error": ..., "code": ...}}.
 */
final class EtcdGatewayTarget implements KvWriteTarget {

  private final Duration timeout;

  EtcdGatewayTarget(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public HttpRequest request(URI endpoint, long keyNumber, byte[] value) {
    return HttpRequest.newBuilder(endpoint.resolve("/v3/kv/put"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(keyNumber, value)))
        .build();
  }

  static String body(long keyNumber, byte[] value) {
    Base64.Encoder base64 = Base64.getEncoder();
    byte[] key = KvWriteTarget.key(keyNumber).getBytes(StandardCharsets.UTF_8);
    return "{\"key\":\""
        + base64.encodeToString(key)
        + "\",\"value\":\""
        + base64.encodeToString(value)
        + "\"}";
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      return "HTTP " + status;
    }
    // A put's answer always carries the header; a 200 without one is not etcd's put answer.
    return body.contains("\"header\"") ? null : "200 without a header";
  }
}
