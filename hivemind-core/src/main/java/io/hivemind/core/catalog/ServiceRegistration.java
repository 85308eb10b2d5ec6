package io.hivemind.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * What a client asks an agent to register: an instance without its owner, session and environment
 * (the agent supplies those), and the checks the agent should run for it. The HTTP API decodes
 * Consul's {@code AgentServiceRegistration} JSON into this; the Java client's protocol too.
 */
public record ServiceRegistration(
    String service,
    String id,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    Weights weights,
    List<CheckDefinition> checks) {

  public ServiceRegistration {
    CatalogNames.requireServiceName(service);
    CatalogNames.requireId("service id", id);
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
    checks = List.copyOf(checks);
    for (CheckDefinition check : checks) {
      if (!check.serviceId().equals(id)) {
        throw new IllegalArgumentException(
            "check " + check.checkId() + " belongs to " + check.serviceId() + ", not " + id);
      }
    }
  }
}
