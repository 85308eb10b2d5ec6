package io.hivemind.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An instance to register through a {@link HivemindSession}: it lives as long as the session (the
 * client's connection, plus the agent's grace period after it is gone).
 *
 * @param service the service name
 * @param id the instance id, unique on the agent
 * @param address where the instance is reached
 * @param port its port, 0 to 65535
 * @param tags free-form tags
 * @param meta free-form metadata
 * @param checks its TTL checks
 */
public record SessionRegistration(
    String service,
    String id,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    List<TtlCheck> checks) {

  public SessionRegistration {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
    checks = List.copyOf(checks);
  }

  /** An instance without tags, metadata or checks. */
  public static SessionRegistration of(String service, String id, String address, int port) {
    return new SessionRegistration(service, id, address, port, List.of(), Map.of(), List.of());
  }

  /** This registration with {@code check} added. */
  public SessionRegistration withCheck(TtlCheck check) {
    List<TtlCheck> more = new java.util.ArrayList<>(checks);
    more.add(check);
    return new SessionRegistration(service, id, address, port, tags, meta, more);
  }
}
