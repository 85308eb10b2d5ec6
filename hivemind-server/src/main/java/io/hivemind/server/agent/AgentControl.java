package io.hivemind.server.agent;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.agreement.ControlMembershipBridge;
import io.hivemind.server.catalog.CatalogReplication;
import io.hivemind.server.catalog.FollowerLinkConnector;
import io.hivemind.server.control.AdmissionRequests;
import io.hivemind.server.control.ControlPlaneSlot;
import io.hivemind.server.control.ControlTags;
import io.hivemind.server.control.EnvironmentDeclaration;
import io.hivemind.server.control.FollowerConfig;
import io.hivemind.server.control.FollowerControlPlane;
import io.hivemind.server.control.GatewayConnector;
import io.hivemind.server.control.JoinProofs;
import io.hivemind.server.control.NodeIdentity;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.NodeConfig;
import io.hivemind.server.tls.CommonNames;
import io.hivemind.server.tls.ControlCertificates;
import io.hivemind.server.tls.TlsException;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.tls.TlsMaterial;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.server.transport.MutualTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's side of the control plane: the one {@link ControlPlaneSlot} the API and the roles
 * see, a plain agent's follower of the committed log (a control node's {@code control} role
 * attaches its Raft plane instead), and the bridge between membership and the control plane.
 *
 * <p>Started and closed by {@link Agent} on its thread.
 */
final class AgentControl implements AutoCloseable {

  /**
   * Long enough for one leader election (about a second) and a commit, so a leave during a failover
   * is still committed; short enough that stopping an agent never hangs on a dead cluster.
   */
  static final Duration LEAVE_COMMIT_TIMEOUT = Duration.ofSeconds(3);

  private final NodeConfig node;
  private final ControlPlaneSlot slot =
      new ControlPlaneSlot(
          "no control plane: no control node has been found yet (agents with the control role"
              + " form one)");
  private ControlGatewayClient gatewayClient;
  private GossipLoops followerLoops;
  private FollowerControlPlane follower;
  // Volatile: written once at start on the agent's thread, read by the HTTP loop (/v1/agent/self).
  private volatile ControlMembershipBridge bridge;

  private final MutualTls tls;
  private final NodeIdentity identity;
  private CatalogReplication replication;

  /**
   * @throws io.hivemind.server.tls.TlsException when the TLS files cannot be used (one sentence
   *     naming the file)
   */
  AgentControl(NodeConfig node) {
    this.node = node;
    this.tls = node.control().hasTls() ? MutualTls.of(tlsMaterial(node)) : null;
    // Loaded here, not at start, so the catalogue built before the HTTP API knows its owner id.
    this.identity = NodeIdentity.load(node.dataDir());
  }

  /**
   * The node's TLS files, checked to name this node: over mutual TLS a control node accepts from a
   * connection only what concerns the node its certificate names (docs/security.md, "Identity"), so
   * a certificate issued for another name would have every admission of this node refused; and a
   * control node's must be made for one ({@link ControlCertificates}). Said at start, with the
   * command that issues the right one.
   */
  private static TlsMaterial tlsMaterial(NodeConfig node) {
    TlsMaterial material =
        TlsMaterial.load(
            new TlsFiles(
                node.control().tls().caFile(),
                node.control().tls().certFile(),
                node.control().tls().keyFile()),
            Instant.now());
    String named = CommonNames.of(material.certificate()).orElse("");
    if (!named.equals(node.nodeName())) {
      throw new TlsException(
          node.control().tls().certFile()
              + " names "
              + (named.isEmpty() ? "no node (no single common name)" : "node '" + named + "'")
              + ", but this node is '"
              + node.nodeName()
              + "': every node needs a certificate of its own name"
              + " (hivemind tls cert create --name "
              + node.nodeName()
              + ")");
    }
    if (node.roles().contains(ControlConfig.CONTROL_ROLE)
        && !ControlCertificates.isControl(material.certificate())) {
      // Its Raft peers would refuse every handshake and the gateway its admission: said once, here.
      throw new TlsException(
          node.control().tls().certFile()
              + " is not a control node's certificate (no OU=control), and this node has the "
              + ControlConfig.CONTROL_ROLE
              + " role: its peers would refuse it on the Raft port"
              + " (hivemind tls cert create --name "
              + node.nodeName()
              + " --control)");
    }
    return material;
  }

  /** This node's id in the control plane's registry (renewed when the cluster removed it). */
  NodeIdentity identity() {
    return identity;
  }

  /**
   * Carries the catalogue's replication on the follower's gateway connection (ADR 0004). Called
   * before {@link #start}.
   */
  void replicateCatalogue(CatalogReplication catalogReplication) {
    this.replication = catalogReplication;
  }

  /** The cluster's mutual TLS, or null when off. */
  MutualTls tls() {
    return tls;
  }

  ControlPlaneSlot plane() {
    return slot;
  }

  /** The bridge's view of this node's admission, or null before {@link #start}. */
  ControlMembershipBridge bridge() {
    return bridge;
  }

  /** This node's admission, as the bridge sees it; empty before {@link #start}. */
  Optional<ControlMembershipBridge.AdmissionStatus> admission() {
    ControlMembershipBridge current = bridge;
    return current == null ? Optional.empty() : Optional.of(current.status());
  }

  /**
   * Starts following the committed log (on a plain agent) and asking for admission. A control
   * node's role attaches its own plane to the slot when its Raft server runs.
   */
  void start(MembershipService membership) {
    if (!node.roles().contains(ControlConfig.CONTROL_ROLE)) {
      // A thread of its own, not the gossip loop's: applying the committed log (a snapshot, a
      // partition table of 16,384 partitions several times a second while partitions migrate)
      // held the gossip loop for seconds, probes went unanswered, and a plain agent that had just
      // joined was declared dead and removed again and again (etcd-vs-registrations.sh,
      // 2026-12-02).
      followerLoops = GossipLoops.create(1, "hivemind-control-follower");
      DriverLoop followerLoop = followerLoops.next();
      gatewayClient =
          ControlGatewayClient.on(followerLoop, tls == null ? null : tls.clientContext());
      GatewayConnector declaring =
          new EnvironmentDeclaration(gatewayClient, node.environment().id());
      follower =
          new FollowerControlPlane(
              FollowerConfig.defaults(),
              followerLoop,
              replication == null
                  ? declaring
                  : new FollowerLinkConnector(declaring, replication, replication::nodeId),
              () -> gateways(membership),
              new Random());
      slot.attach(follower);
      follower.start();
    }
    ControlConfig control = node.control();
    AdmissionRequests requests =
        new AdmissionRequests(
            node.nodeName(),
            List.copyOf(node.roles()),
            node.zone(),
            membership.advertisedAddress().host(),
            List.copyOf(control.requireRoles()),
            control.hasJoinToken() ? new JoinProofs.Token(control.joinToken().reveal()) : null);
    bridge = new ControlMembershipBridge(membership, slot, identity, requests, Clock.systemUTC());
    bridge.start();
  }

  /** Commits the leave (bounded), then announces it by gossip. */
  CompletableFuture<Void> leave(MembershipService membership) {
    if (bridge == null) {
      return membership.leave();
    }
    return bridge.commitLeave(LEAVE_COMMIT_TIMEOUT).thenCompose(done -> membership.leave());
  }

  /** The control gateways gossip announces, alive control nodes first in their listed order. */
  private static List<Address> gateways(MembershipService membership) {
    List<Address> gateways = new ArrayList<>();
    for (Member member : membership.members()) {
      String tag = member.tags().get(ControlTags.GATEWAY_ADDRESS);
      if (tag == null || member.state() != MemberState.ALIVE) {
        continue;
      }
      try {
        gateways.add(Address.parse(tag));
      } catch (IllegalArgumentException e) {
        // A malformed tag from a peer is its mistake; the other gateways still serve.
      }
    }
    return gateways;
  }

  @Override
  public void close() {
    if (bridge != null) {
      bridge.close();
    }
    slot.close();
    if (gatewayClient != null) {
      gatewayClient.close();
    }
    if (followerLoops != null) {
      followerLoops.close();
    }
  }
}
