package io.hivemind.bench.kv;

/**
 * Hivemind's Consul-compatible agent API: {@code PUT /v1/agent/service/register} of instance {@code
 * bench-<n>} on the agent the worker talks to, which owns it. Like Consul it answers 200 with an
 * empty body once the agent has taken the registration (Hivemind: versioned in its own replica and
 * queued for replication, no consensus round; issue 11).
 */
final class HivemindRegistrationTarget implements KvWriteTarget {

  private final Registration registration;

  HivemindRegistrationTarget(Registration registration) {
    this.registration = registration;
  }

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public KvRequest request(long keyNumber, byte[] value) {
    return KvRequest.json("PUT", "/v1/agent/service/register", registration.json(keyNumber));
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
