package io.hivemind.control;

import io.hivemind.api.MemberState;
import io.hivemind.core.control.BootstrapPlan;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.catalog.CatalogReplication;
import io.hivemind.server.catalog.MeshLinks;
import io.hivemind.server.control.AdmissionGuard;
import io.hivemind.server.control.CommittedLog;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlPlaneSlot;
import io.hivemind.server.control.ControlTags;
import io.hivemind.server.control.EnvironmentDeclaration;
import io.hivemind.server.control.FeedSink;
import io.hivemind.server.control.JoinProofs;
import io.hivemind.server.control.Subscription;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.metrics.GatewayMetrics;
import io.hivemind.server.role.NodeConfig;
import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code control} role: this node is a control node. It serves the control gateway at once
 * (plain agents follow the committed log through it), announces its Raft and gateway addresses by
 * gossip, starts its Raft server once {@link BootstrapPlan} says so, and while it leads does the
 * leader's periodic duties ({@link LeaderDuties}).
 *
 * <p>Threads: {@link #start} and {@link #stop} on the agent's thread; the bootstrap and duty checks
 * on one scheduler thread of its own ({@code hivemind-control-duties}).
 */
final class ControlRole implements Role {

  /** Often enough that a group forms within a second of the last node being seen. */
  private static final long DUTY_INTERVAL_MILLIS = 250;

  private static final Logger log = LoggerFactory.getLogger(ControlRole.class);

  /**
   * Ratis's shaded gRPC logs through java.util.logging straight to stderr (an INFO line about epoll
   * at start); held here so the level sticks (JUL keeps loggers weakly).
   */
  private static final java.util.logging.Logger GRPC_LOG =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  private ScheduledExecutorService duties;
  private ControlGatewayServer gateway;
  private ControlGatewayClient meshClient;
  private MeshLinks mesh;
  private volatile RatisControlPlane raft;
  private RoleContext context;
  private ControlPlaneSlot slot;
  private LeaderDuties leaderDuties;
  private String lastWait = "";

  @Override
  public String name() {
    return io.hivemind.server.role.ControlConfig.CONTROL_ROLE;
  }

  @Override
  public void start(RoleContext context) throws IOException {
    this.context = context;
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    this.slot = context.controlPlane();
    NodeConfig node = context.node();
    io.hivemind.server.role.ControlConfig control = node.control();
    MembershipService membership = context.membership();
    String host = membership.advertisedAddress().host();
    Map<String, String> tags = new HashMap<>(membership.self().tags());
    tags.put(BootstrapPlan.RAFT_ADDRESS_TAG, host + ":" + control.raftBind().port());
    membership.updateMeta(node.roles(), tags, node.zone()).join();
    duties =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "hivemind-control-duties");
              thread.setDaemon(true);
              return thread;
            });
    duties.scheduleWithFixedDelay(this::safeDuty, 0, DUTY_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    log.info(
        "control role started: Raft {}:{}, bootstrap_expect {}",
        host,
        control.raftBind().port(),
        control.bootstrapExpect());
  }

  private void safeDuty() {
    try {
      duty();
    } catch (RuntimeException e) {
      // One bad round must not end the schedule (a later round retries).
      log.warn("control duty failed: {}", e.toString());
    }
  }

  private void duty() {
    RatisControlPlane running = raft;
    if (running == null) {
      bootstrapStep();
      return;
    }
    if (leaderDuties != null) {
      leaderDuties.run(running);
    }
  }

  private void bootstrapStep() {
    NodeConfig node = context.node();
    int expect = Math.max(1, node.control().bootstrapExpect());
    BootstrapPlan.Decision decision =
        BootstrapPlan.decide(
            expect,
            node.nodeName(),
            RatisControlPlane.hasStorage(node.dataDir()),
            GossipCandidates.visible(context.membership()));
    if (decision instanceof BootstrapPlan.Form form) {
      startRaft(form.voters().stream().map(GossipCandidates::peer).toList(), "forming");
    } else if (decision instanceof BootstrapPlan.Join) {
      startRaft(List.of(), "joining the formed group");
    } else if (decision instanceof BootstrapPlan.Recover) {
      startRaft(List.of(), "recovering from " + node.dataDir());
    } else if (decision instanceof BootstrapPlan.Wait wait && !wait.why().equals(lastWait)) {
      lastWait = wait.why();
      log.info("control plane not formed yet: {}", wait.why());
    }
  }

  private void startRaft(List<PeerAddress> peers, String how) {
    NodeConfig node = context.node();
    io.hivemind.server.role.ControlConfig control = node.control();
    ControlConfig config =
        ControlConfig.of(
            node.nodeName(),
            context.membership().advertisedAddress().host(),
            control.raftBind().port(),
            node.dataDir(),
            node.cluster(),
            node.environment().id(),
            peers);
    if (control.hasTls()) {
      config =
          config.withTls(
              new ControlTls(
                  control.tls().caFile(), control.tls().certFile(), control.tls().keyFile()));
    }
    RatisControlPlane plane = new RatisControlPlane(config);
    try {
      plane.start();
    } catch (IOException | RuntimeException e) {
      log.error("control plane failed to start ({}): {}", how, e.getMessage());
      return; // retried at the next round
    }
    JoinProofs.Token token =
        control.hasJoinToken() ? new JoinProofs.Token(control.joinToken().reveal()) : null;
    ControlPlane guardedPlane = new AdmissionGuard(plane, token);
    try {
      gateway =
          ControlGatewayServer.bind(
              GatewayServerConfig.of(
                  control.gatewayBind().host(),
                  control.gatewayBind().port(),
                  node.environment().id()),
              new RoleCommittedLog(plane, guardedPlane),
              context.tls() == null ? null : context.tls().serverContext(),
              context.catalogue(),
              context.aclResolvers() == null ? null : context.aclResolvers().get());
    } catch (RuntimeException e) {
      log.error("control gateway cannot listen on {}: {}", control.gatewayBind(), e.getMessage());
      plane.close();
      return; // retried at the next round
    }
    new GatewayMetrics(gateway).bindTo(context.metrics());
    startCatalogueMesh();
    io.micrometer.core.instrument.FunctionCounter.builder(
            "hivemind.control.raft.tls.refused", plane, RatisControlPlane::refusedTlsChains)
        .description("Raft (gRPC) peers refused for a certificate the cluster CA did not sign")
        .register(context.metrics());
    raft = plane;
    leaderDuties = new LeaderDuties(context);
    // The agent's own writes go through the guard too: its admission's join proof is stripped
    // before it reaches the log, as everyone else's.
    slot.attach(guardedPlane);
    Map<String, String> tags = new HashMap<>(context.membership().self().tags());
    tags.put(BootstrapPlan.GROUP_TAG, BootstrapPlan.FORMED);
    tags.put(
        ControlTags.GATEWAY_ADDRESS,
        context.membership().advertisedAddress().host() + ":" + gateway.port());
    Map<String, String> withoutVoters = Map.copyOf(tags);
    String voters = BootstrapPlan.votersTag(peers.stream().map(PeerAddress::id).toList());
    if (!peers.isEmpty() && !voters.isEmpty()) {
      // Formed: the other voters it was formed with form with exactly these, rather than join.
      tags.put(BootstrapPlan.VOTERS_TAG, voters);
    }
    context
        .membership()
        .updateMeta(node.roles(), tags, node.zone())
        .exceptionally(
            failure -> {
              // Over gossip's limit for a member's tags: the formed and gateway tags matter more.
              log.warn("cannot advertise the voters tag ({}): the others join instead", failure);
              context.membership().updateMeta(node.roles(), withoutVoters, node.zone());
              return null;
            });
    log.info("control plane started ({}), peers {}", how, peers);
  }

  /**
   * The catalogue's links to the other control nodes (ADR 0004): through their gateways, with the
   * cluster's mutual TLS, each pair once (the node whose name sorts first dials).
   */
  private void startCatalogueMesh() {
    CatalogReplication catalogue = context.catalogue();
    if (catalogue == null) {
      return;
    }
    MembershipService membership = context.membership();
    meshClient =
        ControlGatewayClient.on(
            membership.loop(), context.tls() == null ? null : context.tls().clientContext());
    mesh =
        new MeshLinks(
            catalogue,
            catalogue::nodeId,
            new EnvironmentDeclaration(meshClient, context.node().environment().id()),
            () -> meshPeers(membership),
            catalogue.executor(),
            MeshLinks.DEFAULT_RETRY_INTERVAL);
    mesh.start();
  }

  /** The other alive control nodes whose names sort after ours, by name, with their gateways. */
  private static Map<String, Address> meshPeers(MembershipService membership) {
    String self = membership.self().name();
    Map<String, Address> peers = new HashMap<>();
    for (Member member : membership.members()) {
      String tag = member.tags().get(ControlTags.GATEWAY_ADDRESS);
      if (tag == null
          || member.state() != MemberState.ALIVE
          || member.name().compareTo(self) <= 0) {
        continue;
      }
      try {
        peers.put(member.name(), Address.parse(tag));
      } catch (IllegalArgumentException e) {
        // A malformed tag is that peer's mistake; the others are still linked.
      }
    }
    return peers;
  }

  /** What the gateway serves: the Raft node's plane (guarded) and feed. */
  private record RoleCommittedLog(RatisControlPlane raft, ControlPlane guarded)
      implements CommittedLog {
    @Override
    public ControlPlane plane() {
      return guarded;
    }

    @Override
    public Subscription follow(long afterIndex, FeedSink sink) {
      return raft.feed().follow(afterIndex, sink);
    }
  }

  @Override
  public void stop() {
    if (duties != null) {
      duties.shutdownNow();
    }
    if (mesh != null) {
      mesh.close();
    }
    if (meshClient != null) {
      meshClient.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    RatisControlPlane running = raft;
    if (running != null) {
      running.close();
    }
  }
}
