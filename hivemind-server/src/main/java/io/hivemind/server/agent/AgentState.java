package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;
import io.hivemind.core.state.StateConfig;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.http.AclConfig;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.metrics.StateClientMetrics;
import io.hivemind.server.metrics.StateMetrics;
import io.hivemind.server.state.GossipStatePeers;
import io.hivemind.server.state.StateDrain;
import io.hivemind.server.state.StateService;
import io.hivemind.server.state.StateTags;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.server.transport.MutualTls;
import io.hivemind.server.transport.StateClientContext;
import io.hivemind.server.transport.StateClientServer;
import io.hivemind.server.transport.StateTransport;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's partitioned store (issue 13): the driver on a thread of its own, the node-to-node
 * transport on the state port, the binary client port (state_client.proto), and the gossip tags
 * that tell the others where these and the HTTP API listen. Built before the HTTP API (which sends
 * requests to it), started once the agent runs, closed before the control plane it reads.
 */
final class AgentState implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentState.class);

  /** Tags are announced before the roles start; a gossip loop answers in far less. */
  private static final long ANNOUNCE_WAIT_SECONDS = 5;

  private final GossipLoops loops;

  /** The store's loop; its transport and client channels run on it too (no cross-thread hops). */
  private final DriverLoop loop;

  private final StateService service;
  private final StateDrain drain;
  private final AgentControl control;
  private StateTransport transport;
  private StateClientServer clients;

  private AgentState(
      GossipLoops loops,
      DriverLoop loop,
      StateService service,
      StateDrain drain,
      AgentControl control) {
    this.loops = loops;
    this.loop = loop;
    this.service = service;
    this.drain = drain;
    this.control = control;
  }

  /**
   * The driver, not yet started: requests wait on its loop until {@link #start}.
   *
   * @param config the store's settings: how many backups a write waits for ({@code
   *     state_sync_backups})
   */
  static AgentState create(AgentControl control, MembershipService membership, StateConfig config) {
    GossipLoops loops = GossipLoops.create(1, "hivemind-state");
    DriverLoop loop = loops.next();
    StateService service =
        StateService.create(
            loop,
            control.plane(),
            () -> control.identity().id(),
            new GossipStatePeers(() -> control.plane().view(), membership::members),
            Clock.systemUTC(),
            config);
    return new AgentState(loops, loop, service, new StateDrain(control.plane(), loop), control);
  }

  /**
   * A graceful leave: drains this member's partitions (bounded, {@link StateDrain}), then runs
   * {@code leave}, the existing sequence (commit the removal, announce LEFT).
   */
  CompletableFuture<Void> leave(Supplier<CompletableFuture<Void>> leave) {
    return drain.drain(control.identity().id()).thenCompose(drained -> leave.get());
  }

  StateService service() {
    return service;
  }

  /**
   * Binds the state port, starts the driver, binds the state client port, and announces {@code
   * state.address}, {@code http.address} and {@code state.client}.
   *
   * @throws io.hivemind.server.transport.GossipBindException when the state port or the state
   *     client port is taken
   */
  void start(
      AgentConfig config,
      MembershipService membership,
      AgentControl control,
      URI http,
      MeterRegistry registry) {
    MutualTls tls = control.tls();
    transport =
        StateTransport.bind(
            config.stateBind(),
            config.cluster(),
            config.environment().id(),
            () -> control.identity().id(),
            tls,
            new StateTransport.Listener() {
              @Override
              public void onMessage(String fromId, io.hivemind.core.state.StateMessage message) {
                service.deliver(fromId, message);
              }

              @Override
              public void onPeerUnreachable(String peerId) {
                service.peerUnreachable(peerId);
              }
            },
            loop);
    transport.verifyPeers(
        id ->
            control.plane().view().members().stream()
                .filter(member -> member.id().equals(id))
                .map(member -> member.address().host())
                .findFirst());
    service.start(transport::send);
    new StateMetrics(service.stats(), transport.stats()).bindTo(registry);
    clients =
        StateClientServer.bind(
            config.stateClientBind().host(),
            config.stateClientBind().port(),
            new StateClientContext(
                config.environment().id(),
                config.cluster(),
                () -> control.identity().id(),
                service,
                resolvers(config.acl(), control)),
            loop);
    new StateClientMetrics(clients.stats()).bindTo(registry);
    announce(config, membership, http);
  }

  private void announce(AgentConfig config, MembershipService membership, URI http) {
    String host = membership.advertisedAddress().host();
    Map<String, String> tags = new HashMap<>(membership.self().tags());
    tags.put(StateTags.STATE_ADDRESS, new Address(host, transport.port()).toString());
    tags.put(StateTags.HTTP_ADDRESS, new Address(httpHost(http, host), http.getPort()).toString());
    tags.put(StateTags.STATE_CLIENT_ADDRESS, new Address(host, clients.port()).toString());
    try {
      membership
          .updateMeta(config.roles(), tags, config.zone())
          .get(ANNOUNCE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The tags go out with the next meta update; until then peers cannot reach this node.
      log.warn("could not announce the partitioned state's addresses: {}", e.toString());
    }
  }

  /**
   * A token resolver for each state client connection, resolving as the HTTP API's does; one
   * disabled resolver for all when ACLs are off (it then never resolves, so sharing it is safe).
   */
  private static Supplier<AclTokenResolver> resolvers(AclConfig acl, AgentControl control) {
    if (!acl.enabled()) {
      AclTokenResolver disabled = AclTokenResolver.disabled();
      return () -> disabled;
    }
    return () ->
        new AclTokenResolver(
            true, acl.defaultPolicy(), acl.initialManagementToken(), () -> control.plane().view());
  }

  /** The HTTP API's host as others reach it: the advertised host when it binds every interface. */
  private static String httpHost(URI http, String advertisedHost) {
    String host = http.getHost();
    if (host == null || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
      return advertisedHost;
    }
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public void close() {
    if (clients != null) {
      clients.close(); // first: no request may reach a closing store
    }
    service.close();
    if (transport != null) {
      transport.close();
    }
    loops.close();
  }
}
