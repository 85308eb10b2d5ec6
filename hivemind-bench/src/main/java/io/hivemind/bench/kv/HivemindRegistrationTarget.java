package io.hivemind.bench.kv;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Hivemind's Consul-compatible agent API: {@code PUT /v1/agent/service/register} of instance {@code
 * bench-<n>} on the agent the worker talks to, which owns it. Like Consul it answers 200 with an
 * empty body once the agent has taken the registration (Hivemind: versioned in its own replica and
 * queued for replication, no consensus round; issue 11).
 */
final class HivemindRegistrationTarget implements KvWriteTarget {

  private final Duration timeout;
  private final Registration registration;

  HivemindRegistrationTarget(Duration timeout, Registration registration) {
    this.timeout = timeout;
    this.registration = registration;
  }

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public HttpRequest request(URI endpoint, long keyNumber, byte[] value) {
    return HttpRequest.newBuilder(endpoint.resolve("/v1/agent/service/register"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(registration.json(keyNumber)))
        .build();
  }

  @Override
  public String refusal(int status, String body) {
    if (status != 200) {
      // The API's JSON error: its stable code and sentence say why (bad_request, forbidden...).
      return "HTTP " + status + " " + KvWriteTarget.abbreviate(body.strip());
    }
    return null;
  }
}
