package io.hivemind.bench.kv;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * etcd v3's transaction through its JSON gateway: {@code POST /v3/kv/txn} with no compare and, on
 * success, a put of the key and a range read of it: the same two operations as {@link
 * HivemindTxnTarget}'s. Answers 200 with {@code "succeeded":true} once committed and applied.
 */
final class EtcdTxnTarget implements KvWriteTarget {

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public KvRequest request(long keyNumber, byte[] value) {
    Base64.Encoder base64 = Base64.getEncoder();
    String key =
        base64.encodeToString(KvWriteTarget.key(keyNumber).getBytes(StandardCharsets.UTF_8));
    return KvRequest.json(
        "POST",
        "/v3/kv/txn",
        "{\"success\":[{\"requestPut\":{\"key\":\""
            + key
            + "\",\"value\":\""
            + base64.encodeToString(value)
            + "\"}},{\"requestRange\":{\"key\":\""
            + key
            + "\"}}]}");
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      return "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    return body.contains("\"succeeded\":true")
        ? null
        : "200 answering " + KvWriteTarget.abbreviate(body);
  }
}
