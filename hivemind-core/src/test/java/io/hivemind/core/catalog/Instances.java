package io.hivemind.core.catalog;

import io.hivemind.api.Environment;
import java.util.List;
import java.util.Map;

/** Test instances. */
final class Instances {

  private Instances() {}

  static ServiceInstance instance(String owner, String service, String id, int port) {
    return new ServiceInstance(
        service,
        id,
        "10.0.0.1",
        port,
        List.of("v1"),
        Map.of(),
        Weights.DEFAULT,
        Environment.DEVELOPMENT,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of());
  }

  static ServiceInstance inSession(String owner, String service, String id, String session) {
    return new ServiceInstance(
        service,
        id,
        "10.0.0.1",
        80,
        List.of(),
        Map.of(),
        Weights.DEFAULT,
        Environment.DEVELOPMENT,
        owner,
        session,
        List.of());
  }

  static ServiceInstance withCheck(String owner, String service, String id, HealthStatus status) {
    return instance(owner, service, id, 80)
        .withChecks(List.of(new CheckStatus("c-" + id, "check", CheckKind.TTL, status, "")));
  }
}
