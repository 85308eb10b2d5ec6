package io.hivemind.bench.kv;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service instance both systems register, as Consul's {@code PUT /v1/agent/service/register}
 * body: the same JSON document is Hivemind's request and the value etcd stores under the instance's
 * key, so both carry the same bytes. Instance number {@code n} is {@code bench-<n>} of service
 * {@code bench} when there is one service, else of {@code bench-s<n mod services>} (a registry
 * holds many services of a few instances each; one service of every instance is the worst case for
 * a replica that rebuilds a changed service's list); every document also carries a write counter in
 * its meta, so no registration is byte-for-byte the one before it under the same id (a system may
 * not skip it as unchanged).
 *
 * <p>Thread-safe: the load's workers share one.
 */
final class Registration {

  /** The service every instance belongs to, or the prefix of the services they spread over. */
  static final String SERVICE = "bench";

  /** Ports 8000-8999: any instance looks like a real one, the value only varies the bytes. */
  private static final int FIRST_PORT = 8000;

  private static final int PORTS = 1_000;

  private final String payload;
  private final String check;
  private final int services;
  private final AtomicLong writes = new AtomicLong();

  /**
   * @param payload printable bytes (the load's value) carried as the {@code payload} meta value, so
   *     the value size option sets a registration's size as it sets a KV write's
   * @param ttlCheck whether each instance is registered with a TTL check ({@code "TTL": "300s"},
   *     longer than any run) rather than none
   * @param services how many services the instances spread over, by instance number
   */
  Registration(byte[] payload, boolean ttlCheck, int services) {
    if (services < 1) {
      throw new IllegalArgumentException("services must be at least 1, was " + services);
    }
    this.services = services;
    this.payload = new String(payload, StandardCharsets.US_ASCII);
    for (int i = 0; i < this.payload.length(); i++) {
      char c = this.payload.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("payload byte " + i + " needs escaping in JSON");
      }
    }
    this.check = ttlCheck ? ",\"Check\":{\"TTL\":\"300s\"}" : "";
  }

  /** The instance id of instance number {@code n}. */
  static String id(long n) {
    return SERVICE + "-" + n;
  }

  /** The service of instance number {@code n}. */
  String service(long n) {
    return services == 1 ? SERVICE : SERVICE + "-s" + n % services;
  }

  /** The key etcd holds instance number {@code n} under: one prefix a service, as registries do. */
  String etcdKey(long n) {
    return "services/" + service(n) + "/" + id(n);
  }

  /** A fresh document for instance number {@code n}. */
  String json(long n) {
    return "{\"ID\":\""
        + id(n)
        + "\",\"Name\":\""
        + service(n)
        + "\",\"Address\":\"127.0.0.1\",\"Port\":"
        + (FIRST_PORT + n % PORTS)
        + ",\"Meta\":{\"payload\":\""
        + payload
        + "\",\"write\":\""
        + writes.incrementAndGet()
        + "\"}"
        + check
        + "}";
  }
}
