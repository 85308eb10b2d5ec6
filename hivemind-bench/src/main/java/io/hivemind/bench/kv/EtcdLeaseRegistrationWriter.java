package io.hivemind.bench.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registration the way registries built on etcd make one (a lease, then the instance's key bound
 * to it, so the key goes when its owner stops renewing): {@code POST /v3/lease/grant}, then {@code
 * POST /v3/kv/put} with that lease, through etcd's JSON gateway. A registration is both calls; it
 * is acknowledged by the put's answer, so its latency runs from the grant's request to the put's
 * answer. Both go over the worker's own keep-alive connection, to endpoint {@code w mod n} as
 * {@link HttpKvWriter}'s writes.
 */
final class EtcdLeaseRegistrationWriter implements KvWriter {

  /**
   * Longer than any run (3 levels of warm-up and window): no lease expires while the load runs, so
   * etcd spends nothing on revoking them, as Hivemind's registrations without a check never end.
   */
  static final int LEASE_TTL_SECONDS = 300;

  /** etcd 3.4's gateway writes int64 fields as JSON strings: {@code "ID":"7587862..."}. */
  private static final Pattern LEASE_ID = Pattern.compile("\"ID\"\\s*:\\s*\"?(\\d+)\"?");

  private final WorkerConnections connections;
  private final Registration registration;

  EtcdLeaseRegistrationWriter(WorkerConnections connections, Registration registration) {
    this.connections = connections;
    this.registration = registration;
  }

  @Override
  public String write(int worker, long keyNumber) throws InterruptedException {
    String refusal;
    try {
      refusal = register(connections.of(worker), keyNumber);
    } catch (IOException e) {
      refusal = HttpConnection.reason(e);
    }
    if (refusal != null) { // as HttpKvWriter: a client backing off, not a busy loop
      TimeUnit.MILLISECONDS.sleep(HttpKvWriter.PAUSE_AFTER_FAILURE_MILLIS);
    }
    return refusal;
  }

  private String register(HttpConnection connection, long keyNumber) throws IOException {
    HttpAnswer granted = connection.exchange(grantRequest());
    String leaseId = leaseId(granted.status(), granted.body());
    if (leaseId == null) {
      return "lease grant: " + grantRefusal(granted.status(), granted.body());
    }
    HttpAnswer put = connection.exchange(putRequest(keyNumber, leaseId));
    return putRefusal(put.status(), put.body());
  }

  static KvRequest grantRequest() {
    return KvRequest.json("POST", "/v3/lease/grant", "{\"TTL\":" + LEASE_TTL_SECONDS + "}");
  }

  KvRequest putRequest(long keyNumber, String leaseId) {
    return KvRequest.json("POST", "/v3/kv/put", putBody(keyNumber, leaseId));
  }

  /** The granted lease's id, or null when the answer is not a grant. */
  static String leaseId(int status, String body) {
    if (status != 200) {
      return null;
    }
    Matcher id = LEASE_ID.matcher(body);
    return id.find() ? id.group(1) : null;
  }

  private static String grantRefusal(int status, String body) {
    return status != 200
        ? "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip())
        : "200 without a lease id " + KvWriteTarget.abbreviate(body.strip());
  }

  String putBody(long keyNumber, String leaseId) {
    Base64.Encoder base64 = Base64.getEncoder();
    return "{\"key\":\""
        + base64.encodeToString(registration.etcdKey(keyNumber).getBytes(StandardCharsets.UTF_8))
        + "\",\"value\":\""
        + base64.encodeToString(registration.json(keyNumber).getBytes(StandardCharsets.UTF_8))
        + "\",\"lease\":\""
        + leaseId
        + "\"}";
  }

  /** As {@link EtcdGatewayTarget#refusal}: a put's answer always carries the header. */
  static String putRefusal(int status, String body) {
    if (status != 200) {
      return "put: HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    return body.contains("\"header\"") ? null : "put: 200 without a header";
  }
}
