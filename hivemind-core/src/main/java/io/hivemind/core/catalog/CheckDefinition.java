package io.hivemind.core.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the owning agent learns a check's status: what a registration's {@code Check}/{@code Checks}
 * (Consul's JSON) or {@code PUT /v1/agent/check/register} defines. Stays on the owning agent;
 * replicas see only {@link CheckStatus}.
 *
 * @param checkId unique within the agent (Consul's CheckID; defaults to {@code service:ID} for a
 *     service's only check, {@code service:ID:N} for its N-th)
 * @param name a human name
 * @param serviceId the instance it belongs to, or "" for a node check (Consul's checks registered
 *     without a {@code ServiceID}: every instance of the agent carries its status, see {@link
 *     CheckStatus#node})
 * @param kind TTL, HTTP, TCP, or maintenance
 * @param ttl for TTL checks: how long a reported status stands; zero otherwise
 * @param interval for HTTP and TCP checks: time between probes; zero for TTL
 * @param timeout for HTTP and TCP checks: how long one probe may take
 * @param target for HTTP the URL, for TCP {@code host:port}; "" for TTL; for maintenance the reason
 * @param method for HTTP the request method (GET by default)
 * @param headers for HTTP extra request headers
 * @param tlsSkipVerify for HTTPS targets: accept any certificate
 * @param deregisterCriticalAfter remove the instance once the check has been critical this long;
 *     zero never (and never for a node check: it removes no instance, as in Consul)
 * @param initialStatus the status before the first result (Consul: critical)
 */
public record CheckDefinition(
    String checkId,
    String name,
    String serviceId,
    CheckKind kind,
    Duration ttl,
    Duration interval,
    Duration timeout,
    String target,
    String method,
    Map<String, List<String>> headers,
    boolean tlsSkipVerify,
    Duration deregisterCriticalAfter,
    HealthStatus initialStatus) {

  public CheckDefinition {
    CatalogNames.requireCheckId(checkId);
    Objects.requireNonNull(name, "name");
    if (!serviceId.isEmpty()) {
      CatalogNames.requireId("service id", serviceId);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(method, "method");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(deregisterCriticalAfter, "deregisterCriticalAfter");
    Objects.requireNonNull(initialStatus, "initialStatus");
  }

  /** Consul's check id prefix for a service's maintenance mode; the service id follows. */
  public static final String MAINTENANCE_PREFIX = "_service_maintenance:";

  /** Consul's name of the maintenance check. */
  public static final String MAINTENANCE_NAME = "Service Maintenance Mode";

  /** Consul's id of the node maintenance check. */
  public static final String NODE_MAINTENANCE_ID = "_node_maintenance";

  /** Consul's name of the node maintenance check. */
  public static final String NODE_MAINTENANCE_NAME = "Node Maintenance Mode";

  /** Consul's node maintenance reason when the operator gave none. */
  public static final String NODE_MAINTENANCE_DEFAULT_REASON =
      "Maintenance mode is enabled for this node, but no reason was provided. This is a default"
          + " message.";

  /** Consul's reason when the operator gave none. */
  public static final String MAINTENANCE_DEFAULT_REASON =
      "Maintenance mode is enabled for this service, but no reason was provided. This is a default"
          + " message.";

  /**
   * The check that puts instance {@code serviceId} in maintenance (Consul's {@code PUT
   * /v1/agent/service/maintenance/ID?enable=true}): critical, so lookups of passing instances and
   * DNS leave it out, until it is removed. The reason is kept as its {@code target} and shown as
   * its output.
   *
   * @param reason the operator's, or "" for Consul's default sentence
   */
  public static CheckDefinition maintenance(String serviceId, String reason) {
    return maintenance(
        MAINTENANCE_PREFIX + serviceId,
        MAINTENANCE_NAME,
        serviceId,
        reason.isEmpty() ? MAINTENANCE_DEFAULT_REASON : reason);
  }

  /**
   * The node check that puts this agent's node in maintenance (Consul's {@code PUT
   * /v1/agent/maintenance?enable=true}, check {@code _node_maintenance}): as {@link #maintenance},
   * for every instance of the node.
   *
   * @param reason the operator's, or "" for Consul's default sentence
   */
  public static CheckDefinition nodeMaintenance(String reason) {
    return maintenance(
        NODE_MAINTENANCE_ID,
        NODE_MAINTENANCE_NAME,
        "",
        reason.isEmpty() ? NODE_MAINTENANCE_DEFAULT_REASON : reason);
  }

  private static CheckDefinition maintenance(
      String checkId, String name, String serviceId, String reason) {
    return new CheckDefinition(
        checkId,
        name,
        serviceId,
        CheckKind.MAINTENANCE,
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        reason,
        "",
        Map.of(),
        false,
        Duration.ZERO,
        HealthStatus.CRITICAL);
  }

  /** Whether this is a node check: bound to no instance, carried by all of the agent's. */
  public boolean nodeCheck() {
    return serviceId.isEmpty();
  }

  /** The result replicas see before the first probe or report (a maintenance check's reason). */
  public CheckStatus initialResult() {
    return new CheckStatus(
        checkId,
        name,
        kind,
        initialStatus,
        kind == CheckKind.MAINTENANCE ? target : "",
        nodeCheck());
  }
}
