package io.hivemind.bench.kv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registration the way registries built on etcd make one (a lease, then the instance's key bound
 * to it, so the key goes when its owner stops renewing): {@code POST /v3/lease/grant}, then {@code
 * POST /v3/kv/put} with that lease, through etcd's JSON gateway. A registration is both calls; it
 * is acknowledged by the put's answer, so its latency runs from the grant's request to the put's
 * answer. Worker {@code w} talks to endpoint {@code w mod n}, as {@link HttpKvWriter} does.
 */
final class EtcdLeaseRegistrationWriter implements KvWriter {

  /**
   * Longer than any run (3 levels of warm-up and window): no lease expires while the load runs, so
   * etcd spends nothing on revoking them, as Hivemind's registrations without a check never end.
   */
  static final int LEASE_TTL_SECONDS = 300;

  /** etcd 3.4's gateway writes int64 fields as JSON strings: {@code "ID":"7587862..."}. */
  private static final Pattern LEASE_ID = Pattern.compile("\"ID\"\\s*:\\s*\"?(\\d+)\"?");

  /** As {@link HttpKvWriter}'s: a client backing off, not a busy loop on the shared cores. */
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 10;

  private final HttpClient client;
  private final List<URI> endpoints;
  private final Registration registration;
  private final Duration timeout;

  EtcdLeaseRegistrationWriter(
      HttpClient client, List<URI> endpoints, Registration registration, Duration timeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint to write to");
    }
    this.client = client;
    this.endpoints = List.copyOf(endpoints);
    this.registration = registration;
    this.timeout = timeout;
  }

  @Override
  public String write(int worker, long keyNumber) throws InterruptedException {
    URI endpoint = endpoints.get(worker % endpoints.size());
    String refusal;
    try {
      refusal = register(endpoint, keyNumber);
    } catch (IOException e) {
      refusal = e.getClass().getSimpleName();
    }
    if (refusal != null) {
      TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    }
    return refusal;
  }

  private String register(URI endpoint, long keyNumber) throws IOException, InterruptedException {
    HttpResponse<String> granted =
        post(endpoint, "/v3/lease/grant", "{\"TTL\":" + LEASE_TTL_SECONDS + "}");
    String leaseId = leaseId(granted.statusCode(), granted.body());
    if (leaseId == null) {
      return "lease grant: " + grantRefusal(granted.statusCode(), granted.body());
    }
    HttpResponse<String> put = post(endpoint, "/v3/kv/put", putBody(keyNumber, leaseId));
    return putRefusal(put.statusCode(), put.body());
  }

  private HttpResponse<String> post(URI endpoint, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
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
