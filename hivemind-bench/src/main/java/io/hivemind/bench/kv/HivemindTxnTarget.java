package io.hivemind.bench.kv;

import java.util.Base64;

/**
 * Hivemind's Consul-compatible transaction: {@code PUT /v1/txn} writing a key and reading it back
 * in one transaction ({@code set} then {@code get}). Answers 200 with {@code "Errors":null} once
 * committed; a failed operation would be a 409, which this load never provokes.
 */
final class HivemindTxnTarget implements KvWriteTarget {

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public KvRequest request(long keyNumber, byte[] value) {
    String key = KvWriteTarget.key(keyNumber);
    return KvRequest.json(
        "PUT",
        "/v1/txn",
        "[{\"KV\":{\"Verb\":\"set\",\"Key\":\""
            + key
            + "\",\"Value\":\""
            + Base64.getEncoder().encodeToString(value)
            + "\"}},{\"KV\":{\"Verb\":\"get\",\"Key\":\""
            + key
            + "\"}}]");
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      return "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    return body.contains("\"Errors\":null")
        ? null
        : "200 answering " + KvWriteTarget.abbreviate(body);
  }
}
