package io.hivemind.bench.kv;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * etcd v3's JSON gateway: {@code POST /v3/kv/put} with {@code {"key": base64, "value": base64}}.
 * etcd answers 200 with a {@code header} (cluster id, revision, raft term) once the put is
 * committed and applied; errors come as {@code {"error": ..., "code": ...}}.
 */
final class EtcdGatewayTarget implements KvWriteTarget {

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public KvRequest request(long keyNumber, byte[] value) {
    return KvRequest.json("POST", "/v3/kv/put", body(keyNumber, value));
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
      // The gateway's JSON error ({"error": "etcdserver: ...", "code": N}) says why.
      return "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    // A put's answer always carries the header; a 200 without one is not etcd's put answer.
    return body.contains("\"header\"") ? null : "200 without a header";
  }
}
