package io.hivemind.bench.kv;

/**
 * Hivemind's Consul-compatible KV: {@code PUT /v1/kv/bench/<n>} with the raw value as the body, on
 * any agent (a control node forwards to the leader). Like Consul it answers {@code true} once the
 * write is committed; {@code false} only for a failed check-and-set, which this load never sends.
 */
final class HivemindKvTarget implements KvWriteTarget {

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public KvRequest request(long keyNumber, byte[] value) {
    return new KvRequest(
        "PUT", "/v1/kv/" + KvWriteTarget.key(keyNumber), "application/octet-stream", value);
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      // The body is the API's JSON error: its stable code says why (no_quorum, not_leader...).
      return "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    return body.strip().equals("true")
        ? null
        : "200 answering " + KvWriteTarget.abbreviate(body.strip());
  }
}
