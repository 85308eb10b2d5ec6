package io.hivemind.bench.kv;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Hivemind's Consul-compatible KV: {@code PUT /v1/kv/bench/<n>} with the raw value as the body, on
 * any agent (a control node forwards to the leader). Like Consul it answers {@code true} once the
 * write is committed; {@code false} only for a failed check-and-set, which this load never sends.
 */
final class HivemindKvTarget implements KvWriteTarget {

  private final Duration timeout;

  HivemindKvTarget(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public HttpRequest request(URI endpoint, long keyNumber, byte[] value) {
    return HttpRequest.newBuilder(endpoint.resolve("/v1/kv/" + KvWriteTarget.key(keyNumber)))
        .timeout(timeout)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
        .build();
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      return "HTTP " + status;
    }
    return body.strip().equals("true") ? null : "200 answering " + abbreviate(body.strip());
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 40) + "...'";
  }
}
