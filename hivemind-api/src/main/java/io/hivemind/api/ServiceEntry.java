package io.hivemind.api;

import java.util.List;

/**
 * One instance as {@code GET /v1/health/service/{name}} lists it, in Consul's shape: {@code
 * {"Node": {...}, "Service": {...}, "Checks": [...]}}.
 *
 * @param node the owning agent, as {@code /v1/catalog/nodes} lists it
 * @param service the instance
 * @param checks the instance's checks
 */
public record ServiceEntry(CatalogNode node, AgentService service, List<HealthCheck> checks) {

  /**
   * Copies the checks; missing ones read as empty.
   *
   * @param node the owning agent
   * @param service the instance
   * @param checks its checks
   */
  public ServiceEntry {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /**
   * The instance's health: the worst of its checks' statuses, {@code passing} when it has none.
   *
   * @return {@code passing}, {@code warning} or {@code critical}
   */
  public String aggregatedStatus() {
    String worst = "passing";
    for (HealthCheck check : checks) {
      if ("critical".equals(check.status())) {
        return "critical";
      }
      if ("warning".equals(check.status())) {
        worst = "warning";
      }
    }
    return worst;
  }

  /**
   * Where to reach the instance: its own address, or its node's when it registered none.
   *
   * @return a host
   */
  public String effectiveAddress() {
    String own = service == null ? null : service.address();
    return own == null || own.isEmpty() ? (node == null ? "" : node.address()) : own;
  }
}
