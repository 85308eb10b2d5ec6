package io.hivemind.core.catalog;

import io.hivemind.api.Environment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One registered instance of a service, as every replica holds it.
 *
 * @param service the service's name ({@link CatalogNames#requireServiceName})
 * @param id unique within its owner (Consul's service ID; defaults to the name)
 * @param address where it listens: an IP address or host name; "" means the owning agent's address
 * @param port its port, 0–65535 (0 when it has none)
 * @param tags its tags, in the order registered, no duplicates kept
 * @param meta free key/value metadata
 * @param weights its weights for load balancing
 * @param environment the environment it belongs to: its owner's
 * @param owner the id of the agent that owns it (the only node that may change it)
 * @param session the owner's session it lives in; {@link #AGENT_SESSION} for instances bound to the
 *     agent itself (registered over HTTP or from configuration)
 * @param checks its checks' latest results, in check id order
 */
public record ServiceInstance(
    String service,
    String id,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    Weights weights,
    Environment environment,
    String owner,
    String session,
    List<CheckStatus> checks) {

  /** The session of instances that live as long as their agent, as Consul's agent services do. */
  public static final String AGENT_SESSION = "agent";

  /** Bounds that keep one instance's size reasonable on the wire and in every replica. */
  public static final int MAX_TAGS = 64;

  public static final int MAX_META = 64;
  public static final int MAX_TEXT = 512;

  /** Checks an instance carries, its node's included; maintenance comes on top (below). */
  public static final int MAX_CHECKS = 32;

  /**
   * Maintenance checks an instance may carry beyond {@link #MAX_CHECKS}: its own and its node's, so
   * that an operator can always drain it, however many checks it has.
   */
  public static final int MAX_MAINTENANCE_CHECKS = 2;

  /** The most checks an instance has on the wire: {@link #MAX_CHECKS} and maintenance. */
  public static final int MAX_WIRE_CHECKS = MAX_CHECKS + MAX_MAINTENANCE_CHECKS;

  public ServiceInstance {
    CatalogNames.requireServiceName(service);
    CatalogNames.requireId("service id", id);
    Objects.requireNonNull(address, "address");
    requireText("address", address);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("a port is 0..65535: " + port);
    }
    tags = List.copyOf(new java.util.LinkedHashSet<>(tags));
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("at most " + MAX_TAGS + " tags: " + tags.size());
    }
    tags.forEach(tag -> requireText("tag", tag));
    if (meta.size() > MAX_META) {
      throw new IllegalArgumentException("at most " + MAX_META + " meta keys: " + meta.size());
    }
    meta.forEach(
        (key, value) -> {
          requireText("meta key", key);
          requireText("meta value", value);
        });
    meta = Map.copyOf(new TreeMap<>(meta));
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(environment, "environment");
    CatalogNames.requireId("owner", owner);
    CatalogNames.requireId("session", session);
    requireCheckCount(checks);
    // Most instances have at most one check: List.copyOf holds it without an array (24 bytes less
    // an instance in every replica).
    checks =
        checks.size() <= 1
            ? List.copyOf(checks)
            : checks.stream().sorted(java.util.Comparator.comparing(CheckStatus::checkId)).toList();
  }

  private static void requireText(String what, String text) {
    Objects.requireNonNull(text, what);
    if (text.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "a " + what + " has at most " + MAX_TEXT + " characters: " + text.length());
    }
  }

  /** The worst of its checks' statuses; passing when it has none (Consul's rule). */
  public HealthStatus health() {
    HealthStatus worst = HealthStatus.PASSING;
    for (CheckStatus check : checks) {
      worst = worst.worst(check.status());
    }
    return worst;
  }

  private static void requireCheckCount(List<CheckStatus> checks) {
    int maintenance = 0;
    for (CheckStatus check : checks) {
      if (check.kind() == CheckKind.MAINTENANCE) {
        maintenance++;
      }
    }
    int others = checks.size() - maintenance;
    if (others > MAX_CHECKS || maintenance > MAX_MAINTENANCE_CHECKS) {
      throw new IllegalArgumentException(
          "an instance carries at most "
              + MAX_CHECKS
              + " checks, its node's included, and its own and its node's maintenance: "
              + others
              + " checks and "
              + maintenance
              + " maintenance");
    }
  }

  /** This instance with {@code newChecks} in place of its checks. */
  public ServiceInstance withChecks(List<CheckStatus> newChecks) {
    return new ServiceInstance(
        service, id, address, port, tags, meta, weights, environment, owner, session, newChecks);
  }

  /**
   * Written out rather than left to the record: every replica compares a received instance with the
   * one it holds on every change (an unchanged one is not applied again), and the record's
   * generated equals goes through method handles that the agent's C1-only JIT runs slowly (about 5
   * % of a catalogue thread under registrations, etcd-vs-registrations 2026-12-02). Cheap fields
   * first; strings the replica shares are equal by reference.
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof ServiceInstance that
        && port == that.port
        && environment == that.environment
        && Objects.equals(id, that.id)
        && Objects.equals(service, that.service)
        && Objects.equals(owner, that.owner)
        && Objects.equals(session, that.session)
        && Objects.equals(address, that.address)
        && Objects.equals(weights, that.weights)
        && Objects.equals(tags, that.tags)
        && Objects.equals(meta, that.meta)
        && Objects.equals(checks, that.checks);
  }

  @Override
  public int hashCode() {
    int hash = Objects.hash(service, id, address, tags, meta, weights, environment, owner, session);
    return 31 * (31 * hash + port) + Objects.hashCode(checks);
  }
}
