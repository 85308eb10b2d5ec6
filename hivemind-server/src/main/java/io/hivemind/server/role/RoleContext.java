package io.hivemind.server.role;

import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.catalog.CatalogReplication;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.control.ControlPlaneSlot;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.transport.MutualTls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the agent gives each role it starts.
 *
 * @param node the node's configuration, as roles see it
 * @param membership the running membership service (gossip)
 * @param controlPlane the agent's control plane: degraded until one is attached (a plain agent's
 *     follower at start, a control node's Raft plane once its group runs: the control role attaches
 *     it)
 * @param metrics the registry the agent's {@code /v1/agent/metrics} serves
 * @param tls the cluster's mutual TLS (loaded once, so its counters are the agent's), or null when
 *     the agent has no TLS files
 * @param catalogue the catalogue's replication between nodes (a control node's gateway and mesh
 *     carry it), or null when the agent has none
 * @param catalogueReads the agent's catalogue as HTTP and DNS read it (its immutable snapshot), or
 *     null when the agent has none
 * @param aclResolvers makes a resolver of the agent's ACL settings for each thread that checks
 *     tokens (a resolver is not thread-safe), or null when ACLs are disabled: a control node's
 *     gateway checks followers' KV, ACL and event commands with them
 */
public record RoleContext(
    NodeConfig node,
    MembershipService membership,
    ControlPlaneSlot controlPlane,
    PrometheusMeterRegistry metrics,
    MutualTls tls,
    CatalogReplication catalogue,
    Catalogue catalogueReads,
    Supplier<AclTokenResolver> aclResolvers) {

  public RoleContext {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** A context without catalogue reads. */
  public RoleContext(
      NodeConfig node,
      MembershipService membership,
      ControlPlaneSlot controlPlane,
      PrometheusMeterRegistry metrics,
      MutualTls tls,
      CatalogReplication catalogue) {
    this(node, membership, controlPlane, metrics, tls, catalogue, null, null);
  }

  /** A context without catalogue replication. */
  public RoleContext(
      NodeConfig node,
      MembershipService membership,
      ControlPlaneSlot controlPlane,
      PrometheusMeterRegistry metrics,
      MutualTls tls) {
    this(node, membership, controlPlane, metrics, tls, null, null, null);
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
