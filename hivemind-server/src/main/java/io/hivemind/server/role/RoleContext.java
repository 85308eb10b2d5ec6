package io.hivemind.server.role;

import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.membership.MembershipService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the agent gives each role it starts.
 *
 * @param node the node's configuration, as roles see it
 * @param membership the running membership service (gossip)
 * @param controlPlane the control plane, asked for when a role needs it (it may be built after the
 *     role starts); throws {@link IllegalStateException} on an agent that has none
 * @param metrics the registry the agent's {@code /v1/agent/metrics} serves
 */
public record RoleContext(
    NodeConfig node,
    MembershipService membership,
    Supplier<ControlPlane> controlPlane,
    PrometheusMeterRegistry metrics) {

  public RoleContext {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** This node's name. */
  public String nodeName() {
    return node.nodeName();
  }

  /** Where this node keeps durable state (see {@link NodeConfig#dataDir}). */
  public Path dataDir() {
    return node.dataDir();
  }
}
