package io.hivemind.server.http;

import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;

/**
 * Consul's aggregated health of one instance for the agent's local health endpoints ({@code
 * /v1/agent/health/service/...}): {@code maintenance} when a maintenance check (its own or its
 * node's) is on it, else the worst of its checks; and the status code a load balancer reads from
 * it.
 */
final class AgentHealth {

  static final String MAINTENANCE = "maintenance";

  private AgentHealth() {}

  /** {@code passing}, {@code warning}, {@code critical} or {@code maintenance}. */
  static String aggregated(ServiceInstance instance) {
    for (CheckStatus check : instance.checks()) {
      if (check.kind() == CheckKind.MAINTENANCE) {
        return MAINTENANCE;
      }
    }
    return instance.health().consulName();
  }

  /** Consul's: 200 passing, 429 warning, 503 critical or in maintenance. */
  static int statusCode(String aggregated) {
    return switch (aggregated) {
      case "passing" -> 200;
      case "warning" -> 429;
      default -> 503;
    };
  }
}
